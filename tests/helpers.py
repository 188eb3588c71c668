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


def _registry():
    """Every public module class of nnbook, with a small instance of it.

    Each factory takes a dtype and returns a module that maps a batch of
    shape (batch, 3) to (batch, 3). tests/test_modules.py runs the contract
    tests (purity, backward before forward, dtype, gradients) on every
    entry, and fails if a Module subclass of nnbook is missing here.
    """
    import nnbook as nb
    return {
        nb.Dense: lambda dtype: nb.Dense(3, 3, rng=0, dtype=dtype),
        nb.Sequential: lambda dtype: nb.Sequential(
            [nb.Dense(3, 4, rng=0, dtype=dtype), nb.Tanh(),
             nb.Dense(4, 3, rng=1, dtype=dtype)]),
        nb.Identity: lambda dtype: nb.Identity(),
        nb.Sigmoid: lambda dtype: nb.Sigmoid(),
        nb.Tanh: lambda dtype: nb.Tanh(),
        nb.ReLU: lambda dtype: nb.ReLU(),
        nb.LeakyReLU: lambda dtype: nb.LeakyReLU(0.2),
        nb.Softmax: lambda dtype: nb.Softmax(),
        nb.BatchNorm: lambda dtype: nb.BatchNorm(3, dtype=dtype),
        nb.Conv2D: lambda dtype: nb.Conv2D(2, 3, 3, stride=2, padding=1,
                                           rng=0, dtype=dtype),
        nb.MaxPool2D: lambda dtype: nb.MaxPool2D(2),
        nb.Flatten: lambda dtype: nb.Flatten(),
        nb.Residual: lambda dtype: nb.Residual(nb.Sequential(
            [nb.Dense(3, 4, rng=0, dtype=dtype), nb.Tanh(),
             nb.Dense(4, 3, rng=1, dtype=dtype)])),
        # Frozen: every forward of a gradient check uses the same mask.
        nb.Dropout: lambda dtype: nb.Dropout(0.5, rng=0).freeze(),
    }


MODULES = _registry()


def _shapes():
    """(input shape, output shape) of the registry's instances, if not (5, 3).

    The image modules take a batch of images (batch, channels, height, width).
    """
    import nnbook as nb
    return {
        nb.Conv2D: ((5, 2, 5, 4), (5, 3, 3, 2)),
        nb.MaxPool2D: ((5, 2, 4, 6), (5, 2, 2, 3)),
    }


SHAPES = _shapes()
