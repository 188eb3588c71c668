"""The fully connected (dense) layer: ``Z = X @ W + b``."""

import numpy as np

from ._checks import (as_float_array, check_float_dtype, check_int,
                      check_samples, make_rng)
from .module import Module

INITS = ("he", "xavier", "normal")


def init_std(fan_in, fan_out, init):
    """The standard deviation of a layer's initial weights.

    ``fan_in``: the inputs of one output value; ``fan_out``: the outputs one
    input reaches. ``"he"``: variance ``2 / fan_in`` (ReLU layers);
    ``"xavier"``: ``2 / (fan_in + fan_out)`` (sigmoid and tanh, Glorot and
    Bengio); ``"normal"``: 1, the naive choice.
    """
    if init == "he":
        return np.sqrt(2.0 / fan_in)
    if init == "xavier":
        return np.sqrt(2.0 / (fan_in + fan_out))
    if init == "normal":
        return 1.0
    raise ValueError(f"init must be one of {INITS}, got {init!r}.")


def init_weights(n_in, n_out, init, rng, dtype=np.float64):
    """Draw a weight matrix of shape ``(n_in, n_out)``, normal with the
    standard deviation :func:`init_std` gives for ``init``."""
    std = init_std(n_in, n_out, init)
    return (std * rng.standard_normal((n_in, n_out))).astype(dtype)


class Dense(Module):
    """A fully connected layer, ``Z = X @ W + b``.

    Parameters
    ----------
    n_in : int
        Number of input features (>= 1).
    n_out : int
        Number of units (>= 1).
    init : {"he", "xavier", "normal"}, default "he"
        How to draw ``W``; ``b`` starts at zero.
    rng : np.random.Generator or int or None
        Draws the initial weights. The same int gives two layers of one
        shape the same weights: pass one Generator to all layers.
    dtype : numpy float dtype, default np.float64

    Attributes
    ----------
    W : ndarray of shape (n_in, n_out)
    b : ndarray of shape (n_out,)
    dW : ndarray of shape (n_in, n_out)
        ``dL/dW`` of the last ``backward`` (None before it).
    db : ndarray of shape (n_out,)
        ``dL/db`` of the last ``backward`` (None before it).
    input_grad : bool, default True
        False: ``backward`` skips ``dX`` and returns None (``fit`` sets it
        on the first layer, whose input is the data).
    """

    param_names = ("W", "b")

    def __init__(self, n_in, n_out, *, init="he", rng=None, dtype=np.float64):
        check_int(n_in, "n_in", 1)
        check_int(n_out, "n_out", 1)
        dtype = check_float_dtype(dtype)
        self.W = init_weights(n_in, n_out, init, make_rng(rng), dtype)
        self.b = np.zeros(n_out, dtype=dtype)
        self.init = init
        self.dW = None
        self.db = None
        self.X = None

    def forward(self, X):
        """Compute ``Z = X @ W + b``.

        Parameters
        ----------
        X : array_like of shape (batch, n_in)

        Returns
        -------
        Z : ndarray of shape (batch, n_out)
        """
        if not (isinstance(X, np.ndarray) and X.dtype == self.W.dtype):
            X = as_float_array(X, "X", self.W.dtype)
        if X.ndim != 2 or X.shape[1] != self.W.shape[0] or X.shape[0] == 0:
            check_samples(X, "X")
            raise ValueError(
                f"Dense expects input of shape (batch, {self.W.shape[0]}) "
                f"with {self.W.shape[0]} features, got shape {X.shape}."
            )
        self.X = X                       # kept for dW = X.T @ dZ
        return X @ self.W + self.b       # (batch, n_out)

    def backward(self, dZ):
        """Set ``dW`` and ``db`` and return ``dX``.

        Parameters
        ----------
        dZ : ndarray of shape (batch, n_out)
            ``dL/dZ``, the gradient of the loss with respect to this layer's
            output.

        Returns
        -------
        dX : ndarray of shape (batch, n_in), or None if ``input_grad`` is False
        """
        if self.X is None:
            raise RuntimeError("Dense.backward called before forward.")
        expected = (self.X.shape[0], self.W.shape[1])    # (batch, n_out)
        if getattr(dZ, "shape", None) != expected:
            raise ValueError(
                f"Dense.backward expected dZ of shape {expected} "
                f"(batch, n_out), got {getattr(dZ, 'shape', type(dZ).__name__)}."
            )
        self.dW = self.X.T @ dZ          # (n_in, n_out): sums over the batch
        self.db = dZ.sum(axis=0)         # (n_out,)
        if not self.input_grad:
            return None
        return dZ @ self.W.T             # (batch, n_in)

    def __repr__(self):
        n_in, n_out = self.W.shape
        return f"Dense({n_in}, {n_out}, init={self.init!r})"
