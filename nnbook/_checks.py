"""Input checks: each raises an error saying what was expected and what came."""

import math
import numbers

import numpy as np


def as_float_array(x, name, dtype=None):
    """``x`` as a float array (no copy if it is one), or ``TypeError``.

    Integers and booleans become float64 (or ``dtype``); strings, objects
    and complex numbers are refused.
    """
    if isinstance(x, np.ndarray) and x.dtype.kind == "f" and dtype is None:
        return x                                   # the common case, at once
    if x is None:
        raise TypeError(f"{name} must be a numeric array, got None.")
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}.")
    if dtype is not None:
        return arr.astype(dtype, copy=False)
    return arr if arr.dtype.kind == "f" else arr.astype(np.float64)


def check_2d(x, name):
    """Raise unless ``x`` is 2-D, shaped ``(batch, features)``, batch >= 1."""
    if x.ndim != 2:
        raise ValueError(f"{name} must be 2-D with shape (batch, features), "
                         f"got shape {x.shape}.")
    check_samples(x, name)


def check_samples(x, name):
    """Raise ``ValueError`` if ``x`` is empty: a mean over 0 is undefined."""
    if x.size == 0:
        raise ValueError(f"{name} must hold at least 1 sample, got shape {x.shape}.")


def check_finite(x, name):
    """Raise ``ValueError`` if the float array ``x`` holds NaN or inf."""
    if not np.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values "
                         f"({int(np.sum(~np.isfinite(x)))} of {x.size}).")


def check_same_shape(pred, target):
    """Raise ``ValueError`` unless ``pred`` and ``target`` have one shape."""
    if pred.shape != target.shape:
        hint = ""
        if pred.shape == target.shape + (1,):
            hint = " Reshape the target with target.reshape(-1, 1)."
        raise ValueError(f"pred has shape {pred.shape} but target has shape "
                         f"{target.shape}.{hint}")


def check_float_dtype(dtype):
    """Return ``np.dtype(dtype)``; raise ``TypeError`` unless it is a float."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a NumPy float dtype such as "
                        f"np.float64, got {dtype!r}.") from None
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating-point dtype (np.float64 or "
                        f"np.float32), got {dtype}: an integer weight would "
                        f"truncate every update.")
    return dtype


def check_type(value, name, cls, what):
    """Raise ``TypeError`` unless ``value`` is an instance of ``cls``."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}.")


def _check_real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}.")


def check_positive(value, name):
    """Raise unless ``value`` is a finite real number > 0."""
    _check_real(value, name)
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}.")


def check_int(value, name, minimum):
    """Raise unless ``value`` is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")


def check_in_range(value, name, low, high):
    """Raise unless ``low <= value < high`` (a finite number)."""
    _check_real(value, name)
    if not low <= value < high:
        raise ValueError(f"{name} must be in [{low}, {high}), got {value}.")


def make_rng(rng):
    """Return a ``np.random.Generator`` from a Generator, an int seed or None."""
    if isinstance(rng, bool) or not isinstance(
            rng, (numbers.Integral, np.random.Generator, type(None))):
        raise TypeError(f"rng must be a np.random.Generator, an int seed or None, "
                        f"got {rng!r}.")
    if isinstance(rng, numbers.Integral) and rng < 0:
        raise ValueError(f"an int seed rng must be >= 0, got {rng}.")
    return np.random.default_rng(rng)
