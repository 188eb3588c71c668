"""The convolution layer ``Conv2D`` and the array functions it is built from.

A convolution layer slides a small kernel over an image and takes a dot
product at every position. Deep-learning libraries (and this one) compute a
*cross-correlation*, without flipping the kernel::

    Z[r, o, y, x] = b[o] + sum_{c, i, j} Xp[r, c, s*y + i, s*x + j] W[o, c, i, j]

with ``Xp`` the input zero-padded by ``p`` on each side and ``s`` the stride.
Shapes are NCHW, as in PyTorch: a batch of images is ``(batch, channels,
height, width)``. Every window becomes a row of one matrix (``im2col``), so
the whole layer is one matrix product; the input gradient is a "full"
correlation of the error signal with the flipped kernel, computed by the
same function.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import (as_float_array, check_float_dtype, check_int,
                      check_samples, make_rng)
from .layers import init_std
from .module import Module


def output_size(n, kernel_size, stride=1, padding=0):
    """Positions of a window of ``kernel_size`` along an axis of length ``n``.

    ``(n + 2 * padding - kernel_size) // stride + 1``: the rows (or columns)
    of a convolution's or a pooling's output. Rows of the padded input past
    the last full window are not used.
    """
    return (n + 2 * padding - kernel_size) // stride + 1


def pad(x, padding):
    """Zero-pad the last two axes of ``x`` by ``padding`` on every side.

    Parameters
    ----------
    x : ndarray of shape (batch, channels, height, width)
    padding : int >= 0

    Returns
    -------
    ndarray of shape (batch, channels, height + 2 padding, width + 2 padding)
        ``x`` itself when ``padding`` is 0, else a new array.
    """
    if padding == 0:
        return x
    B, C, H, W = x.shape
    out = np.zeros((B, C, H + 2 * padding, W + 2 * padding), dtype=x.dtype)
    out[:, :, padding:padding + H, padding:padding + W] = x
    return out


def dilate(x, stride):
    """Insert ``stride - 1`` zeros between neighbouring entries of the last two axes.

    ``(batch, channels, h, w)`` becomes ``(batch, channels, (h - 1) stride + 1,
    (w - 1) stride + 1)``, with ``x`` at every ``stride``-th position. The
    error signal of a strided convolution, dilated, is the error signal of
    the same convolution with stride 1 (zero where no window started).
    """
    if stride == 1:
        return x
    B, C, h, w = x.shape
    out = np.zeros((B, C, (h - 1) * stride + 1, (w - 1) * stride + 1),
                   dtype=x.dtype)
    out[:, :, ::stride, ::stride] = x
    return out


def im2col(x, kernel_size, stride=1):
    """Every ``kernel_size`` x ``kernel_size`` window of ``x`` as a column.

    Built from a strided view of ``x`` (``sliding_window_view``), without a
    loop over pixels; the reshape copies the windows into one matrix per
    image.

    Parameters
    ----------
    x : ndarray of shape (batch, channels, height, width)
        Already padded.
    kernel_size : int
    stride : int, default 1

    Returns
    -------
    cols : ndarray of shape (batch, channels * kernel_size**2, h_out * w_out)
        Column ``y * w_out + x`` of ``cols[r]`` holds the window whose
        top-left corner is ``(stride * y, stride * x)`` in image ``r``,
        channel by channel, each channel's window row by row: the order of
        ``W[o].ravel()``, so ``W.reshape(c_out, -1) @ cols[r]`` correlates
        image ``r`` with every kernel at once.
    out_hw : tuple (h_out, w_out)
    """
    k = kernel_size
    windows = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    B, C, h_out, w_out = windows.shape[:4]               # (B, C, h_out, w_out, k, k)
    cols = windows.transpose(0, 1, 4, 5, 2, 3).reshape(B, C * k * k, h_out * w_out)
    return cols, (h_out, w_out)


def correlate(x, W, stride=1):
    """Cross-correlate a batch of images with a bank of kernels (no padding).

    ``Z[r, o, y, x] = sum_{c, i, j} x[r, c, stride*y + i, stride*x + j] W[o, c, i, j]``,
    one matrix product per image: the kernels as rows times :func:`im2col`.

    Parameters
    ----------
    x : ndarray of shape (batch, c_in, height, width)
    W : ndarray of shape (c_out, c_in, k, k)
    stride : int, default 1

    Returns
    -------
    Z : ndarray of shape (batch, c_out, h_out, w_out)
    """
    c_out, _, k, _ = W.shape
    cols, (h_out, w_out) = im2col(x, k, stride)
    Z = W.reshape(c_out, -1) @ cols                     # (B, c_out, h_out w_out)
    return Z.reshape(len(x), c_out, h_out, w_out)


def init_kernels(c_in, c_out, kernel_size, init, rng, dtype=np.float64):
    """Draw kernels of shape ``(c_out, c_in, k, k)`` with the variance of ``init``.

    As for a dense layer, with ``fan_in = c_in k**2`` (the inputs of one
    output value) and ``fan_out = c_out k**2``: ``"he"`` has variance
    ``2 / fan_in``, ``"xavier"`` ``2 / (fan_in + fan_out)``, ``"normal"`` 1.
    """
    std = init_std(c_in * kernel_size ** 2, c_out * kernel_size ** 2, init)
    shape = (c_out, c_in, kernel_size, kernel_size)
    return (std * rng.standard_normal(shape)).astype(dtype)


def check_images(X, module, channels, kernel_size, padding=0):
    """Raise unless ``X`` is ``(batch, channels, h, w)`` and a window fits.

    ``channels`` None accepts any number of channels.
    """
    name = type(module).__name__
    C = "channels" if channels is None else channels
    if X.ndim != 4 or (channels is not None and X.shape[1] != channels):
        raise ValueError(
            f"{name} expects images of shape (batch, {C}, height, width) "
            f"(channels first, as in PyTorch), got shape {X.shape}. A single "
            f"image needs a batch axis and a channel axis: X[None, None]."
        )
    check_samples(X, "X")
    H, W = X.shape[2:]
    if min(H, W) + 2 * padding < kernel_size:
        raise ValueError(
            f"{name}'s window of {kernel_size}x{kernel_size} does not fit in "
            f"images of {H}x{W} (padding {padding}): use a smaller "
            f"kernel_size or more padding."
        )


def check_backward(module, grad_out, out_shape):
    """Raise unless ``forward`` ran and ``grad_out`` has its output's shape."""
    name = type(module).__name__
    if out_shape is None:
        raise RuntimeError(f"{name}.backward called before forward.")
    if getattr(grad_out, "shape", None) != out_shape:
        raise ValueError(
            f"{name}.backward expected grad_out of shape {out_shape} (the "
            f"shape of the forward output), got "
            f"{getattr(grad_out, 'shape', type(grad_out).__name__)}."
        )


class Conv2D(Module):
    """A 2-D convolution layer (a cross-correlation, as in PyTorch).

    ``Z[r, o] = b[o] + sum_c correlate(Xp[r, c], W[o, c])`` with stride
    ``stride``: the value ``torch.nn.functional.conv2d(X, W, b, stride,
    padding)`` computes.

    Parameters
    ----------
    c_in : int
        Channels of the input (1 for a grey image).
    c_out : int
        Channels of the output: the number of kernels, each of shape
        ``(c_in, kernel_size, kernel_size)``.
    kernel_size : int
        Height and width of each (square) kernel.
    stride : int, default 1
        Step between neighbouring windows.
    padding : int, default 0
        Zeros added on every side of the input's height and width.
    init : {"he", "xavier", "normal"}, default "he"
        See :func:`init_kernels`; ``b`` starts at zero.
    rng : np.random.Generator or int or None
        Source of the initial kernels, or a seed for one.
    dtype : numpy float dtype, default np.float64

    Attributes
    ----------
    W : ndarray of shape (c_out, c_in, kernel_size, kernel_size)
    b : ndarray of shape (c_out,)
    dW, db : ndarrays of the shapes of ``W`` and ``b``
        Gradients from the last ``backward`` (None before it).
    input_grad : bool, default True
        False makes ``backward`` skip ``dX`` and return None (``fit`` sets
        it on the first layer, whose input is the data).

    Notes
    -----
    With ``cols[r]`` the :func:`im2col` matrix of padded image ``r``
    (``(c_in k**2, h_out w_out)``) and ``dZ[r]`` its error signal as
    ``(c_out, h_out w_out)``: ``Z[r] = W.reshape(c_out, -1) @ cols[r] + b``,
    so ``dW = sum_r dZ[r] @ cols[r].T`` (a correlation of the input with
    ``dZ``) and ``db`` sums ``dZ`` over the batch and the positions. ``dX`` is the
    "full" correlation of ``dZ`` (dilated by the stride, padded by
    ``kernel_size - 1``) with the kernels flipped in both spatial axes and
    with ``c_in`` and ``c_out`` swapped, cropped to undo the padding.
    """

    param_names = ("W", "b")

    def __init__(self, c_in, c_out, kernel_size, *, stride=1, padding=0,
                 init="he", rng=None, dtype=np.float64):
        check_int(c_in, "c_in", 1)
        check_int(c_out, "c_out", 1)
        check_int(kernel_size, "kernel_size", 1)
        check_int(stride, "stride", 1)
        check_int(padding, "padding", 0)
        dtype = check_float_dtype(dtype)
        self.W = init_kernels(c_in, c_out, kernel_size, init, make_rng(rng), dtype)
        self.b = np.zeros(c_out, dtype=dtype)
        self.stride, self.padding, self.init = stride, padding, init
        self.dW = None
        self.db = None
        self.cols = None          # im2col of the padded input, for dW
        self.x_shape = None
        self.out_shape = None

    def forward(self, X):
        """Correlate ``X`` with every kernel and add the bias.

        Parameters
        ----------
        X : array_like of shape (batch, c_in, height, width)

        Returns
        -------
        Z : ndarray of shape (batch, c_out, h_out, w_out)
            ``h_out = (height + 2 padding - kernel_size) // stride + 1``, the
            same for ``w_out`` (:func:`output_size`).
        """
        if not (isinstance(X, np.ndarray) and X.dtype == self.W.dtype):
            X = as_float_array(X, "X", self.W.dtype)
        c_out, c_in, k, _ = self.W.shape
        check_images(X, self, c_in, k, self.padding)
        cols, (h_out, w_out) = im2col(pad(X, self.padding), k, self.stride)
        Z = self.W.reshape(c_out, -1) @ cols            # (B, c_out, h_out w_out)
        Z += self.b[:, None]
        self.cols, self.x_shape = cols, X.shape
        self.out_shape = (len(X), c_out, h_out, w_out)
        return Z.reshape(self.out_shape)

    def backward(self, dZ):
        """Set ``dW`` and ``db`` and return ``dX``.

        Parameters
        ----------
        dZ : ndarray of shape (batch, c_out, h_out, w_out)
            ``dL/dZ``, the error signal of this layer's output.

        Returns
        -------
        dX : ndarray of shape (batch, c_in, height, width), or None if
            ``input_grad`` is False
        """
        check_backward(self, dZ, self.out_shape)
        c_out, c_in, k, _ = self.W.shape
        dZ = dZ.reshape(len(dZ), c_out, -1)             # (B, c_out, h_out w_out)
        # dW[o] = sum over images and positions of dZ[r, o, pos] * cols[r, :, pos]
        self.dW = np.tensordot(dZ, self.cols, axes=([0, 2], [0, 2])).reshape(
            self.W.shape)
        self.db = dZ.sum(axis=(0, 2))
        if not self.input_grad:
            return None
        # dX: "full" correlation of the (dilated) error signal with the
        # flipped kernels, input and output channels swapped.
        flipped = self.W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)  # (c_in, c_out, k, k)
        dZ = dZ.reshape(self.out_shape)
        full = correlate(pad(dilate(dZ, self.stride), k - 1), flipped)
        B, _, H, W = self.x_shape
        p = self.padding
        dXp = np.zeros((B, c_in, H + 2 * p, W + 2 * p), dtype=full.dtype)
        dXp[:, :, :full.shape[2], :full.shape[3]] = full  # rows no window used: 0
        return dXp[:, :, p:p + H, p:p + W]

    def __repr__(self):
        c_out, c_in, k, _ = self.W.shape
        return (f"Conv2D({c_in}, {c_out}, {k}, stride={self.stride}, "
                f"padding={self.padding}, init={self.init!r})")
