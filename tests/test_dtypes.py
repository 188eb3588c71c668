"""Dtypes: what the engine converts, what it keeps, and what it never copies.

The rule (nnbook/_checks.py): integers and booleans become float64, a float
array keeps its dtype and is not copied, and a loss computes in the dtype of
its prediction, converting the target to it. A float32 model thus stays in
float32 from the data to the gradients.
"""

import numpy as np
import pytest

from nnbook import MSE, BinaryCrossEntropy, CrossEntropy
from nnbook._checks import as_float_array


@pytest.mark.parametrize("x", [[1, 2], np.array([1, 2], dtype=np.int8),
                               np.array([True, False]), np.uint16(7), 3])
def test_integers_and_booleans_become_float64(x):
    out = as_float_array(x, "x")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, np.asarray(x, dtype=np.float64))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_floats_keep_their_dtype(dtype):
    arr = np.array([1.5, -2.0], dtype=dtype)
    assert as_float_array(arr, "x") is arr                    # not copied
    assert as_float_array(list(arr), "x").dtype == dtype      # from a list
    assert as_float_array(arr[0], "x").dtype == dtype         # a scalar


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_an_array_already_in_the_requested_dtype_is_not_copied(dtype):
    arr = np.array([1.5, -2.0], dtype=dtype)
    assert as_float_array(arr, "x", dtype) is arr
    other = np.float64 if dtype is np.float32 else np.float32
    converted = as_float_array(arr, "x", other)
    assert converted.dtype == other and converted is not arr
    assert as_float_array([1, 2], "x", np.float32).dtype == np.float32


def _pred_target(make):
    rng = np.random.default_rng(0)
    if make is CrossEntropy:
        logits = rng.standard_normal((5, 3))
        return logits.astype(np.float32), np.eye(3)[[0, 1, 2, 0, 1]]
    pred = rng.uniform(0.05, 0.95, (5, 2))
    return pred.astype(np.float32), rng.uniform(0, 1, (5, 2))


@pytest.mark.parametrize("make", [MSE, BinaryCrossEntropy, CrossEntropy])
def test_a_loss_converts_a_float64_target_to_the_prediction_dtype(make):
    pred32, target64 = _pred_target(make)
    loss = make()
    value = loss.forward(pred32, target64)
    assert loss.backward().dtype == np.float32
    # Exactly what a float32 target gives: the target is converted first.
    same = make()
    assert same.forward(pred32, target64.astype(np.float32)) == value
    np.testing.assert_array_equal(same.backward(), loss.backward())
