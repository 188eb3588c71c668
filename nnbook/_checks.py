"""Input checks shared by the modules: each raises a clear error or returns.

Every message states what was expected and what came, so that a learner who
passes the wrong thing sees at once what to change.
"""

import numbers

import numpy as np


def as_float_array(x, name, dtype=None):
    """Return ``x`` as a floating-point array (no copy if it already is one).

    Integers and booleans become float64 (or ``dtype``); anything else that is
    not numeric raises ``TypeError``.
    """
    if isinstance(x, np.ndarray) and x.dtype.kind == "f" and dtype is None:
        return x                                   # the common case, at once
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a numeric array, got dtype {arr.dtype}."
        )
    if dtype is not None:
        return arr.astype(dtype, copy=False)
    if arr.dtype.kind != "f":
        return arr.astype(np.float64)
    return arr


def check_2d(x, name):
    """Raise ``ValueError`` unless ``x`` is 2-D, shaped ``(batch, features)``."""
    if x.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape (batch, features), "
            f"got shape {x.shape}."
        )


def check_same_shape(pred, target):
    """Raise ``ValueError`` unless ``pred`` and ``target`` have one shape."""
    if pred.shape != target.shape:
        raise ValueError(
            f"pred has shape {pred.shape} but target has shape {target.shape}."
        )


def check_positive(value, name):
    """Raise unless ``value`` is a real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}.")
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}.")


def check_int(value, name, minimum):
    """Raise unless ``value`` is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")


def check_in_range(value, name, low, high):
    """Raise unless ``low <= value < high`` (a number)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}.")
    if not low <= value < high:
        raise ValueError(f"{name} must be in [{low}, {high}), got {value}.")


def make_rng(rng):
    """Return a ``np.random.Generator`` from a Generator, an int seed or None."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(
            f"rng must be a np.random.Generator, an int seed or None, "
            f"got {rng!r}."
        )
    return np.random.default_rng(rng)
