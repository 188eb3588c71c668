"""Gradient checking: compare backprop with central finite differences."""

import math

import numpy as np

from ._checks import as_float_array, check_positive, check_type
from .losses import Loss
from .module import Module, _named


def default_step(dtype):
    """The step ``h`` used when none is given: ``1e-6`` in float64.

    Narrower floats get ``u**(1/3)`` (``u`` the unit roundoff, about 4e-3 in
    float32), which balances the ``h**2`` error against rounding near 1.
    """
    if np.dtype(dtype) == np.float64:
        return 1e-6
    return float((np.finfo(dtype).eps / 2) ** (1 / 3))


def numerical_gradient(f, x, eps=None):
    """Estimate the gradient of a scalar function by central differences.

    For every element ``x_i``::

        df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2 h)

    with an error of order ``h**2``. In a dtype narrower than float64, where
    rounding ``x_i + h`` can change the step by as much as ``h``, the
    difference is divided by the step actually stored, ``(x_i + h) - (x_i - h)``
    as rounded; a step that rounds away entirely raises ``ValueError``.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a float. It is called with ``x`` itself, nudged one
        element at a time, so it may also read ``x`` from elsewhere (a
        layer's ``W``, for example).
    x : ndarray of floats, any shape
        Perturbed in place and restored exactly before returning. Anything
        else (a list, an integer array) is first copied to float64.
    eps : float > 0, optional
        The step ``h``; by default :func:`default_step` of the dtype of ``x``
        (1e-6 in float64).

    Returns
    -------
    ndarray of the shape of ``x``, float64
    """
    if not (isinstance(x, np.ndarray) and x.dtype.kind == "f"):
        x = np.array(as_float_array(x, "x"), dtype=np.float64)
    h = default_step(x.dtype) if eps is None else eps
    check_positive(h, "eps")
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            x[i] = old + h
            up = x[i]
            f_plus = f(x)
            x[i] = old - h
            down = x[i]
            f_minus = f(x)
        finally:
            x[i] = old
        if not (math.isfinite(f_plus) and math.isfinite(f_minus)):
            raise ValueError(
                f"f must stay finite near x, got f = {f_plus} and {f_minus} "
                f"at x{list(i)} +- {h}."
            )
        if up == down:
            raise ValueError(
                f"eps = {h} is too small to change x{list(i)} = {old} in "
                f"{x.dtype}: pass a larger eps."
            )
        step = 2 * h if x.dtype == np.float64 else float(up) - float(down)
        grad[i] = (f_plus - f_minus) / step
    return grad


def relative_error(a, b):
    """``|a - b| / (|a| + |b|)`` with Euclidean norms; 0 when both are 0."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}.")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("a and b must be finite: a NaN or inf has no "
                         "relative error (and would hide in max()).")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    if scale == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / scale)


def gradient_errors(model, loss, X, y, eps=None):
    """Relative error of backprop against finite differences, per array.

    One forward and backward pass on ``(X, y)``, then :func:`numerical_gradient`
    of the loss for every parameter and for ``X`` (in the model's dtype).

    Returns
    -------
    dict
        ``{"layers[0].W": err, "layers[0].b": err, ..., "X": err}``. Layers
        without parameters do not appear. Parameters are restored.
    """
    check_type(model, "model", Module, "a Module such as Sequential([...])")
    check_type(loss, "loss", Loss, "a Loss such as MSE()")
    params = dict(_named(model, "parameters"))
    dtype = next(iter(params.values())).dtype if params else np.float64
    X = np.array(as_float_array(X, "X"), dtype=dtype)  # our copy, nudged
    loss.forward(model.forward(X), y)
    dX = model.backward(loss.backward())
    analytic = {name: g.copy() for name, g in _named(model, "gradients")}

    def loss_at(_):
        return loss.forward(model.forward(X), y)

    errors = {}
    for name, g in analytic.items():
        numeric = numerical_gradient(loss_at, params[name], eps)
        errors[name] = relative_error(g, numeric)
    errors["X"] = relative_error(dX, numerical_gradient(loss_at, X, eps))
    return errors


def check_gradients(model, loss, X, y, eps=None):
    """The largest relative error of :func:`gradient_errors`.

    In float64 a correct backward gives about 1e-9 or less, in float32
    about 1e-3 or less; a bug gives 1e-2 or more. A ReLU input within ``eps``
    of its kink at 0 can raise the error of a correct gradient.
    """
    return max(gradient_errors(model, loss, X, y, eps).values())
