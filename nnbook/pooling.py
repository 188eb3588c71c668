"""Max pooling, and ``Flatten``, which turns feature maps into feature vectors."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import as_float_array, check_int, check_samples
from .conv import check_backward, check_images
from .module import Module


class MaxPool2D(Module):
    """Keep the largest value of every ``kernel_size`` x ``kernel_size`` window.

    ``Y[r, c, y, x] = max_{i, j} X[r, c, s*y + i, s*x + j]`` for each
    channel separately, with ``s`` the stride; no padding. The backward pass
    routes each ``grad_out`` entry to the input that was the maximum of its
    window (the first one in row-major order when several tie, as PyTorch
    does); everything else gets 0. Windows overlap when ``stride <
    kernel_size``, and an input that is the maximum of several windows
    receives the sum of their gradients.

    Parameters
    ----------
    kernel_size : int
        Height and width of the window.
    stride : int, optional
        Step between windows; by default ``kernel_size`` (windows that tile
        the image without overlapping).
    """

    def __init__(self, kernel_size, stride=None):
        check_int(kernel_size, "kernel_size", 1)
        if stride is None:
            stride = kernel_size
        check_int(stride, "stride", 1)
        self.kernel_size, self.stride = kernel_size, stride
        self.argmax = None       # flat index into X of each window's maximum
        self.x_shape = None
        self.out_shape = None

    def forward(self, X):
        """Return the maximum of each window.

        Parameters
        ----------
        X : array_like of shape (batch, channels, height, width)

        Returns
        -------
        Y : ndarray of shape (batch, channels, h_out, w_out)
            ``h_out = (height - kernel_size) // stride + 1``, likewise
            ``w_out``; the dtype of ``X`` (float64 for integers).
        """
        X = as_float_array(X, "X")
        k, s = self.kernel_size, self.stride
        check_images(X, self, None, k)
        windows = sliding_window_view(X, (k, k), axis=(2, 3))[:, :, ::s, ::s]
        B, C, h_out, w_out = windows.shape[:4]
        flat = windows.reshape(B, C, h_out, w_out, k * k)
        j = flat.argmax(axis=-1)                # the first maximum (and NaN)
        Y = np.take_along_axis(flat, j[..., None], axis=-1)[..., 0]
        # Where each maximum sits in X, as an index into X.ravel().
        H, W = X.shape[2:]
        row = s * np.arange(h_out)[:, None] + j // k        # (B, C, h_out, w_out)
        col = s * np.arange(w_out) + j % k
        image = np.arange(B * C).reshape(B, C, 1, 1)
        self.argmax = (image * H + row) * W + col
        self.x_shape, self.out_shape = X.shape, Y.shape
        return Y

    def backward(self, grad_out):
        """Route ``grad_out`` to the maxima; return ``dX``.

        Parameters
        ----------
        grad_out : ndarray of shape (batch, channels, h_out, w_out)

        Returns
        -------
        dX : ndarray of shape (batch, channels, height, width)
            0 except at the maxima; an input that is the maximum of several
            (overlapping) windows gets the sum of their gradients.
        """
        check_backward(self, grad_out, self.out_shape)
        dX = np.bincount(self.argmax.ravel(), weights=grad_out.ravel(),
                         minlength=int(np.prod(self.x_shape)))
        return dX.reshape(self.x_shape).astype(grad_out.dtype, copy=False)

    def __repr__(self):
        return f"MaxPool2D({self.kernel_size}, stride={self.stride})"


class Flatten(Module):
    """Reshape ``(batch, d1, d2, ...)`` to ``(batch, d1 * d2 * ...)``.

    Put it between the last convolution or pooling layer and the first
    ``Dense`` layer. Row ``r`` of the output is ``X[r].ravel()`` (C order:
    channel by channel, each channel row by row); ``backward`` reshapes the
    gradient back.
    """

    def __init__(self):
        self.x_shape = None
        self.out_shape = None

    def forward(self, X):
        """Return ``X.reshape(len(X), -1)``.

        Parameters
        ----------
        X : array_like of shape (batch, ...), at least 2-D

        Returns
        -------
        ndarray of shape (batch, n_features)
        """
        X = as_float_array(X, "X")
        if X.ndim < 2:
            raise ValueError(
                f"Flatten expects a batch of shape (batch, ...), at least "
                f"2-D, got shape {X.shape}."
            )
        check_samples(X, "X")
        self.x_shape = X.shape
        Y = X.reshape(len(X), -1)
        self.out_shape = Y.shape
        return Y

    def backward(self, grad_out):
        """Return ``grad_out`` reshaped to the input's shape."""
        check_backward(self, grad_out, self.out_shape)
        return grad_out.reshape(self.x_shape)
