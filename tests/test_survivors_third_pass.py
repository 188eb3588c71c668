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


# --- nnbook.gradcheck ---------------------------------------------------------

from nnbook.gradcheck import (default_step, gradient_errors,  # noqa: E402
                              numerical_gradient, relative_error)


def test_gradient_errors_names_a_model_that_is_not_a_module():
    with pytest.raises(TypeError, match="^" + re.escape(
            "model must be a Module such as Sequential([...]), got str.")):
        gradient_errors("net", MSE(), np.zeros((1, 1)), np.zeros((1, 1)))


def test_gradient_errors_names_a_loss_that_is_not_a_loss():
    with pytest.raises(TypeError, match="^" + re.escape(
            "loss must be a Loss such as MSE(), got str.")):
        gradient_errors(Dense(1, 1, rng=0), "mse", np.zeros((1, 1)),
                        np.zeros((1, 1)))


def test_gradient_errors_names_non_numeric_X():
    with pytest.raises(TypeError, match="^" + re.escape(
            "X must be a numeric array, got dtype <U1.")):
        gradient_errors(Dense(1, 1, rng=0), MSE(), np.array([["a"]]),
                        np.zeros((1, 1)))


def test_numerical_gradient_names_non_numeric_x():
    with pytest.raises(TypeError, match="^" + re.escape(
            "x must be a numeric array, got dtype <U1.")):
        numerical_gradient(lambda x: 0.0, ["a"])


def test_numerical_gradient_refuses_one_infinite_side():
    def f(x):
        return float("inf") if x[0] < 0 else float(x[0])
    with pytest.raises(ValueError, match="^f must stay finite near x"):
        numerical_gradient(f, np.array([0.0]))


def test_numerical_gradient_divides_by_2h_in_float64():
    # (1 + h) - (1 - h) is not exactly 2h in float64; the formula uses 2h.
    grad = numerical_gradient(lambda x: float(x[0]), np.array([1.0]))
    assert grad[0] == ((1 + 1e-6) - (1 - 1e-6)) / 2e-6
    assert grad[0] != 1.0


def test_default_step_of_float32_is_the_cube_root_of_u():
    assert default_step(np.float32) == pytest.approx(2.0**-8, rel=1e-6)


def test_relative_error_message_in_full():
    with pytest.raises(ValueError, match="^" + re.escape(
            "a and b must be finite: a NaN or inf has no relative error (and "
            "would hide in max()).") + "$"):
        relative_error(np.array([np.nan]), np.array([1.0]))
