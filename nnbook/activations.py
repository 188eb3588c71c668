"""Activation functions, each with its derivative right beside it.

Each works element-wise on an array of any shape, softmax on each row of a
``(batch, n_classes)`` array; none changes its argument. A derivative of
``z`` takes the pre-activation, one of ``a`` the activation's output.
"""

import numpy as np

from ._checks import as_float_array, check_in_range
from .module import Module, check_grad_out


def identity(z):
    """a = z."""
    return z


def identity_grad(z):
    """da/dz = 1."""
    return np.ones_like(z)


def sigmoid(z):
    """a = 1 / (1 + exp(-z)), as ``exp(-logaddexp(0, -z))``, which never
    overflows: sigmoid(-1000) is 0.0 and sigmoid(1000) is 1.0, no warning."""
    return np.exp(-np.logaddexp(0.0, -z))


def sigmoid_grad(a):
    """da/dz = a (1 - a), from the output ``a = sigmoid(z)``."""
    return a * (1.0 - a)


def tanh(z):
    """a = tanh(z)."""
    return np.tanh(z)


def tanh_grad(a):
    """da/dz = 1 - a**2, from the output ``a = tanh(z)``."""
    return 1.0 - a * a


def relu(z):
    """a = max(z, 0)."""
    return np.maximum(z, 0.0)


def relu_grad(z):
    """da/dz = 1 where z > 0, else 0 (we take 0 at the kink z = 0)."""
    return (z > 0).astype(z.dtype)


def leaky_relu(z, alpha=0.01):
    """a = z where z > 0, else alpha * z."""
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=0.01):
    """da/dz = 1 where z > 0, else alpha."""
    return np.where(z > 0, 1.0, alpha).astype(z.dtype)


def softmax(z):
    """Row-wise softmax of ``z`` of shape ``(batch, n_classes)``.

    Subtracting the row maximum changes nothing (the factor cancels) but
    keeps every ``exp`` <= 1: logits of 1e4 give probabilities, not inf/inf.
    """
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_backward(a, grad_out):
    """Vector-Jacobian product of softmax, ``g^T J``, from its output ``a``.

    Per row ``J = diag(a) - a a^T`` (symmetric), so with ``g = grad_out`` the
    product is ``a * (g - sum(g * a))``, without building ``J``.

    Parameters
    ----------
    a, grad_out : ndarray of shape (batch, n_classes)

    Returns
    -------
    ndarray of shape (batch, n_classes)
    """
    return a * (grad_out - (grad_out * a).sum(axis=1, keepdims=True))


# --- As modules, each keeping what its derivative needs (integers become float64).


class Identity(Module):
    """a = z; backward passes the gradient through unchanged."""

    z = None        # the input of the last forward

    def forward(self, z):
        self.z = as_float_array(z, "z")
        return self.z

    def backward(self, grad_out):
        check_grad_out(self, grad_out, self.z)
        return grad_out


class Sigmoid(Module):
    """a = sigmoid(z); dz = grad_out * a (1 - a)."""

    a = None        # the output of the last forward

    def forward(self, z):
        self.a = sigmoid(as_float_array(z, "z"))
        return self.a

    def backward(self, grad_out):
        check_grad_out(self, grad_out, self.a)
        return grad_out * sigmoid_grad(self.a)


class Tanh(Module):
    """a = tanh(z); dz = grad_out * (1 - a**2)."""

    a = None        # the output of the last forward

    def forward(self, z):
        self.a = tanh(as_float_array(z, "z"))
        return self.a

    def backward(self, grad_out):
        check_grad_out(self, grad_out, self.a)
        return grad_out * tanh_grad(self.a)


class ReLU(Module):
    """a = max(z, 0); dz = grad_out where z > 0, else 0."""

    z = None        # the input of the last forward

    def forward(self, z):
        self.z = as_float_array(z, "z")
        return relu(self.z)

    def backward(self, grad_out):
        check_grad_out(self, grad_out, self.z)
        return grad_out * (self.z > 0)


class LeakyReLU(Module):
    """a = z where z > 0, else alpha * z; dz = grad_out * (1 or alpha)."""

    def __init__(self, alpha=0.01):
        check_in_range(alpha, "alpha", 0, 1)
        self.alpha = alpha
        self.z = None

    def forward(self, z):
        self.z = as_float_array(z, "z")
        return leaky_relu(self.z, self.alpha)

    def backward(self, grad_out):
        check_grad_out(self, grad_out, self.z)
        return grad_out * leaky_relu_grad(self.z, self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class Softmax(Module):
    """Row-wise softmax of a ``(batch, n_classes)`` array, for when the
    probabilities are the output (``fit`` refuses one before ``CrossEntropy``,
    which takes logits)."""

    a = None        # the output of the last forward

    def forward(self, z):
        z = as_float_array(z, "z")
        if z.ndim != 2:
            raise ValueError("Softmax expects 2-D input of shape (batch, n_classes), "
                             f"got shape {np.shape(z)}.")
        self.a = softmax(z)
        return self.a

    def backward(self, grad_out):
        check_grad_out(self, grad_out, self.a)
        return softmax_backward(self.a, grad_out)
