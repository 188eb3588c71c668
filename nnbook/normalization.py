"""Batch normalization: ``BatchNorm``, the first layer that mixes the samples.

In training mode every feature (column) of a batch is normalized with the
mean and the biased variance of that batch, then scaled and shifted::

    mu = mean(X, axis=0)              var = mean((X - mu)**2, axis=0)
    Xhat = (X - mu) / sqrt(var + eps)  Y = gamma * Xhat + beta

Since ``mu`` and ``var`` depend on every row, each output row depends on the
whole batch, and so does each row of the input gradient. In evaluation mode
the layer uses running estimates of the mean and variance instead, kept
during training exactly as PyTorch's ``BatchNorm1d`` keeps them, and each
row depends on its own sample only.
"""

import numbers

import numpy as np

from ._checks import (as_float_array, check_float_dtype, check_int,
                      check_positive, check_samples)
from .module import Module, check_grad_out


def batchnorm_backward(dXhat, Xhat, inv_std):
    """``dL/dX`` of the normalization ``Xhat = (X - mu) / sqrt(var + eps)``.

    With ``mu`` and ``var`` the mean and biased variance of the batch, as in
    training mode; ``B`` is the number of rows::

        dX = inv_std / B * (B dXhat - sum_r dXhat - Xhat * sum_r (dXhat Xhat))

    The two sums (over the batch, one per feature) are the paths through the
    batch mean and the batch variance.

    Parameters
    ----------
    dXhat : ndarray of shape (batch, n_features)
        ``dL/dXhat`` (``grad_out * gamma`` in ``BatchNorm``).
    Xhat : ndarray of shape (batch, n_features)
        The normalized input of the forward pass.
    inv_std : ndarray of shape (n_features,)
        ``1 / sqrt(var + eps)`` of the forward pass.

    Returns
    -------
    dX : ndarray of shape (batch, n_features)
    """
    B = dXhat.shape[0]
    return (inv_std / B) * (B * dXhat - dXhat.sum(axis=0)
                            - Xhat * (dXhat * Xhat).sum(axis=0))


class BatchNorm(Module):
    """Batch normalization of ``(batch, n_features)`` inputs, feature by feature.

    Training mode (``train()``, the default)::

        Y = gamma * (X - mu) / sqrt(var + eps) + beta

    with ``mu`` and ``var`` the mean and the *biased* variance (divided by
    ``B``) of each column of the batch ``X``; it then updates, as PyTorch's
    ``BatchNorm1d`` does::

        running_mean = (1 - momentum) running_mean + momentum mu
        running_var  = (1 - momentum) running_var  + momentum var B / (B - 1)

    (the running variance uses the *unbiased* batch variance). The output
    of training mode does not depend on the running statistics. Evaluation
    mode (``eval()``) uses ``running_mean`` and ``running_var`` in place of
    ``mu`` and ``var``: an affine map of each sample on its own.

    Parameters
    ----------
    n_features : int
        Number of features (columns) of the input, >= 1.
    eps : float > 0, default 1e-5
        Added to the variance before the square root.
    momentum : float in [0, 1], default 0.1
        Weight of the current batch in the running statistics.
    dtype : numpy float dtype, default np.float64
        Of the parameters, the running statistics and the output.

    Attributes
    ----------
    gamma : ndarray of shape (n_features,)
        Scale, starts at ones.
    beta : ndarray of shape (n_features,)
        Shift, starts at zeros.
    dgamma, dbeta : ndarray of shape (n_features,)
        Their gradients from the last ``backward`` (None before it).
    running_mean : ndarray of shape (n_features,)
        Starts at zeros.
    running_var : ndarray of shape (n_features,)
        Starts at ones. Both are buffers (``buffer_names``): not trained,
        but saved and loaded with the parameters by ``save_weights``.

    Raises
    ------
    ValueError
        In training mode, for a batch of fewer than 2 samples: its variance
        is 0 and its normalized output is all zeros (PyTorch refuses it too).
    """

    param_names = ("gamma", "beta")
    buffer_names = ("running_mean", "running_var")   # saved, not trained

    def __init__(self, n_features, *, eps=1e-5, momentum=0.1,
                 dtype=np.float64):
        check_int(n_features, "n_features", 1)
        check_positive(eps, "eps")
        _check_momentum(momentum)
        dtype = check_float_dtype(dtype)
        self.eps = eps
        self.momentum = momentum
        self.gamma = np.ones(n_features, dtype=dtype)
        self.beta = np.zeros(n_features, dtype=dtype)
        self.dgamma = None
        self.dbeta = None
        self.running_mean = np.zeros(n_features, dtype=dtype)
        self.running_var = np.ones(n_features, dtype=dtype)
        self.Xhat = None          # kept for backward
        self.inv_std = None       # 1 / sqrt(var + eps), per feature
        self.batch_stats = None   # did the last forward use the batch's stats?

    def forward(self, X):
        """Normalize ``X``, then scale by ``gamma`` and shift by ``beta``.

        Parameters
        ----------
        X : array_like of shape (batch, n_features)
            ``batch >= 2`` in training mode.

        Returns
        -------
        Y : ndarray of shape (batch, n_features)
        """
        dtype = self.gamma.dtype
        if not (isinstance(X, np.ndarray) and X.dtype == dtype):
            X = as_float_array(X, "X", dtype)
        n = self.gamma.shape[0]
        if X.ndim != 2 or X.shape[1] != n:
            raise ValueError(
                f"BatchNorm expects input of shape (batch, {n}) with {n} "
                f"features, got shape {X.shape}."
            )
        check_samples(X, "X")
        B = X.shape[0]
        if self.training:
            if B < 2:
                raise ValueError(
                    f"BatchNorm in training mode needs a batch of at least 2 "
                    f"samples to estimate a variance, got shape {X.shape}: "
                    f"use a larger batch, or eval() to use the running "
                    f"statistics."
                )
            mu = X.sum(axis=0) / B
            Xc = X - mu
            var = np.einsum("rj,rj->j", Xc, Xc) / B   # biased: divided by B
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mu
            self.running_var = ((1 - m) * self.running_var
                                + m * var * (B / (B - 1)))   # unbiased
        else:
            Xc = X - self.running_mean
            var = self.running_var
        self.batch_stats = self.training
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.Xhat = Xc * self.inv_std
        return self.gamma * self.Xhat + self.beta

    def backward(self, grad_out):
        """Set ``dgamma`` and ``dbeta`` and return ``dX``.

        After a forward in training mode, ``dX`` includes the paths through
        the batch mean and variance (:func:`batchnorm_backward`); after one
        in evaluation mode, the layer was an affine map with constant
        statistics and ``dX = grad_out * gamma / sqrt(running_var + eps)``.

        Parameters
        ----------
        grad_out : ndarray of shape (batch, n_features)
            ``dL/dY``.

        Returns
        -------
        dX : ndarray of shape (batch, n_features), or None if ``input_grad``
            is False
        """
        check_grad_out(self, grad_out, self.Xhat)
        self.dgamma = np.einsum("rj,rj->j", grad_out, self.Xhat)
        self.dbeta = grad_out.sum(axis=0)
        if not self.input_grad:
            return None
        if not self.batch_stats:
            return grad_out * (self.gamma * self.inv_std)
        # batchnorm_backward(grad_out * gamma, Xhat, inv_std), with its two
        # sums over the batch taken from the parameter gradients:
        # sum_r dXhat = gamma dbeta and sum_r dXhat Xhat = gamma dgamma.
        B = grad_out.shape[0]
        return (self.gamma * self.inv_std / B) * (
            B * grad_out - self.dbeta - self.Xhat * self.dgamma)

    def __repr__(self):
        return (f"BatchNorm({self.gamma.shape[0]}, eps={self.eps}, "
                f"momentum={self.momentum})")


def _check_momentum(momentum):
    if isinstance(momentum, bool) or not isinstance(momentum, numbers.Real):
        raise TypeError(f"momentum must be a number, got {momentum!r}.")
    if not 0 <= momentum <= 1:      # also False for NaN
        raise ValueError(f"momentum must be in [0, 1], got {momentum}.")
