"""Helpers shared by several test files."""

import contextlib
import warnings

import numpy as np


@contextlib.contextmanager
def strict_numerics():
    """Any warning, and any NumPy overflow, 0/0 or x/0, becomes an error.

    Underflow to 0 is the right answer (exp(-1000) is 0.0 in floating point)
    and NumPy ignores it by default; so do we.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise", under="ignore"):
            yield
