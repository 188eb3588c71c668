"""Gradient checking: compare backprop with central finite differences."""

import numpy as np

from .module import _named


def numerical_gradient(f, x, eps=1e-6):
    """Estimate the gradient of a scalar function by central differences.

    For every element ``x_i``::

        df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)

    with an error of order ``eps**2`` (one-sided differences only reach
    order ``eps``).

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a float. It is called with ``x`` itself, nudged one
        element at a time, so it may also read ``x`` from elsewhere (a
        layer's ``W``, for example).
    x : ndarray of floats, any shape
        Perturbed in place and restored exactly before returning. Anything
        else (a list, an integer array) is first copied to float64.
    eps : float, default 1e-6

    Returns
    -------
    ndarray of the shape of ``x``, float64
    """
    if not (isinstance(x, np.ndarray) and x.dtype.kind == "f"):
        x = np.array(x, dtype=np.float64)
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            x[i] = old + eps
            f_plus = f(x)
            x[i] = old - eps
            f_minus = f(x)
        finally:
            x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """``|a - b| / (|a| + |b|)`` with Euclidean norms; 0 when both are 0."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}.")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    if scale == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / scale)


def gradient_errors(model, loss, X, y, eps=1e-6):
    """Relative error of backprop against finite differences, per array.

    Runs one forward and backward pass on ``(X, y)``, then estimates the
    gradient of the loss with respect to every parameter and to the input
    ``X`` by :func:`numerical_gradient`.

    Returns
    -------
    dict
        ``{"layers[0].W": err, "layers[0].b": err, ..., "X": err}``. Layers
        without parameters do not appear. Parameters are restored.
    """
    X = np.array(X, dtype=np.float64)  # our own copy, nudged by the check
    loss.forward(model.forward(X), y)
    dX = model.backward(loss.backward())
    analytic = {name: g.copy() for name, g in _named(model, "gradients")}
    params = dict(_named(model, "parameters"))

    def loss_at(_):
        return loss.forward(model.forward(X), y)

    errors = {}
    for name, g in analytic.items():
        numeric = numerical_gradient(loss_at, params[name], eps)
        errors[name] = relative_error(g, numeric)
    errors["X"] = relative_error(dX, numerical_gradient(loss_at, X, eps))
    return errors


def check_gradients(model, loss, X, y, eps=1e-6):
    """The largest relative error of :func:`gradient_errors`.

    In float64 a correct backward gives about 1e-9 or less; a bug gives
    1e-2 or more. A ReLU input sitting within ``eps`` of its kink at 0 can
    raise the error of a correct gradient, since the derivative jumps there.
    """
    return max(gradient_errors(model, loss, X, y, eps).values())

