"""Tests written against mutants that survived the third pass's mutation run."""

import re
import warnings

import numpy as np
import pytest

from nnbook import MSE, SGD, CrossEntropy, Dense, ReLU, fit


def test_fit_names_targets_of_a_non_numeric_dtype():
    with pytest.raises(TypeError, match=re.escape(
            "y must be a numeric array, got dtype <U1.")):
        fit(Dense(2, 1, rng=0), MSE(), SGD(0.1), np.zeros((3, 2)),
            np.array(["a", "b", "c"]), epochs=1)


def test_cross_entropy_refuses_an_infinite_logit_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # inf - inf would warn first
        with pytest.raises(ValueError, match=re.escape(
                "logits contains NaN or infinite values (1 of 2).")):
            CrossEntropy().forward(np.array([[np.inf, 0.0]]), np.array([0]))


def test_cross_entropy_names_the_logits_when_the_loss_is_infinite():
    # The row maximum is finite, but the label's logit is -inf: p = 0 there.
    with pytest.raises(ValueError, match=re.escape(
            "logits contains NaN or infinite values (1 of 2).")):
        CrossEntropy().forward(np.array([[0.0, -np.inf]]), np.array([1]))


def test_backward_names_a_grad_out_without_a_shape():
    relu = ReLU()
    relu.forward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=re.escape(
            "ReLU.backward expected grad_out of shape (2, 3) (the shape of the "
            "forward output), got list.")):
        relu.backward([[0.0] * 3] * 2)


def test_dense_refuses_an_empty_batch():
    with pytest.raises(ValueError, match="^" + re.escape(
            "X must hold at least 1 sample, got shape (0, 3).")):
        Dense(3, 2, rng=0).forward(np.zeros((0, 3)))


def test_dense_backward_names_a_dz_without_a_shape():
    dense = Dense(3, 2, rng=0)
    dense.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=re.escape(
            "Dense.backward expected dZ of shape (4, 2) (batch, n_out), "
            "got list.")):
        dense.backward([[0.0, 0.0]] * 4)


def test_dense_names_a_dtype_that_is_not_one():
    with pytest.raises(TypeError, match=re.escape(
            "dtype must be a NumPy float dtype such as np.float64, got "
            "'not a dtype'.")):
        Dense(2, 3, dtype="not a dtype")


def test_shape_mismatch_without_a_hint_ends_after_the_shapes():
    with pytest.raises(ValueError, match=re.escape(
            "pred has shape (2, 1) but target has shape (3, 1).") + "$"):
        MSE().forward(np.zeros((2, 1)), np.zeros((3, 1)))
