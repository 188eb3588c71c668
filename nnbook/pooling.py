"""Max pooling, and ``Flatten``, which turns feature maps into feature vectors."""

import numpy as np

from ._checks import as_float_array, check_int, check_samples
from .conv import check_backward, check_images, output_size
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
        self.where = None        # position i * k + j of each window's maximum
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
        h_out, w_out = output_size(X.shape[2], k, s), output_size(X.shape[3], k, s)
        # One strided view per position (i, j) inside the window: element
        # (y, x) of view (i, j) is X[..., s*y + i, s*x + j]. A loop over the
        # k * k positions, not over pixels.
        Y = self._at(X, 0, 0, h_out, w_out).copy()
        where = np.zeros(Y.shape, dtype=np.intp)     # i * k + j of the maximum
        for n in range(1, k * k):
            view = self._at(X, *divmod(n, k), h_out, w_out)
            np.copyto(where, n, where=view > Y)      # strict: first max wins
            np.maximum(Y, view, out=Y)               # (and NaN wins, as in torch)
        self.where, self.x_shape, self.out_shape = where, X.shape, Y.shape
        return Y

    def _at(self, X, i, j, h_out, w_out):
        """The view of ``X`` at offset ``(i, j)`` of every window."""
        s = self.stride
        return X[:, :, i:i + s * (h_out - 1) + 1:s, j:j + s * (w_out - 1) + 1:s]

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
        dX = np.zeros(self.x_shape, dtype=grad_out.dtype)
        h_out, w_out = self.out_shape[2:]
        for n in range(self.kernel_size ** 2):
            self._at(dX, *divmod(n, self.kernel_size), h_out, w_out)[...] += (
                grad_out * (self.where == n))
        return dX

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
