"""Error messages, word for word: each names the argument, the rule and the value.

test_errors.py checks that bad input is refused with a message that points at
the problem; these tests pin the whole message (anchored at both ends), so a
message that names the wrong argument or the wrong number fails. Mutation
testing found messages that a partial match let through, e.g. ``"XXXXX must
be a numeric array"`` matched by ``"X must be a numeric array"``.
"""

import re

import numpy as np
import pytest

from nnbook import (MSE, SGD, Adam, BinaryCrossEntropy, CrossEntropy, Dense,
                    Sequential, Tanh, Value, fit)
from nnbook.module import Module


def raises_exactly(exc, message):
    return pytest.raises(exc, match=rf"^{re.escape(message)}$")


STRINGS = np.array([["a", "b"]])


# --- Dense and Sequential ---------------------------------------------------------

def test_dense_names_x_for_non_numeric_input():
    with raises_exactly(TypeError, "X must be a numeric array, got dtype <U1."):
        Dense(2, 2).forward(STRINGS)


def test_dense_names_its_input_width_not_its_output_width():
    with raises_exactly(ValueError,
                        "Dense expects input of shape (batch, 3) with 3 "
                        "features, got shape (2, 4)."):
        Dense(3, 5).forward(np.ones((2, 4)))


def test_dense_backward_before_forward():
    with raises_exactly(RuntimeError, "Dense.backward called before forward."):
        Dense(2, 3).backward(np.ones((1, 3)))


def test_an_activation_names_itself_when_grad_out_has_another_shape():
    tanh = Tanh()
    tanh.forward(np.zeros((2, 3)))
    with raises_exactly(ValueError,
                        "Tanh.backward expected grad_out of shape (2, 3) (the "
                        "shape of the forward output), got (3, 2)."):
        tanh.backward(np.zeros((3, 2)))


def test_sequential_without_layers():
    with raises_exactly(ValueError,
                        "Sequential needs at least one layer, got none."):
        Sequential([])


# --- losses ------------------------------------------------------------------------

@pytest.mark.parametrize("make, pred, target, message", [
    (MSE, STRINGS, np.zeros((1, 2)),
     "pred must be a numeric array, got dtype <U1."),
    (MSE, np.zeros((1, 2)), STRINGS,
     "target must be a numeric array, got dtype <U1."),
    (BinaryCrossEntropy, STRINGS, np.zeros((1, 2)),
     "pred must be a numeric array, got dtype <U1."),
    (BinaryCrossEntropy, np.zeros((1, 2)), STRINGS,
     "target must be a numeric array, got dtype <U1."),
    (CrossEntropy, STRINGS, np.zeros((1, 2)),
     "logits must be a numeric array, got dtype <U1."),
    (CrossEntropy, np.zeros((1, 2)), STRINGS,
     "target must be a numeric array, got dtype <U1."),
])
def test_losses_name_the_non_numeric_argument(make, pred, target, message):
    with raises_exactly(TypeError, message):
        make().forward(pred, target)


@pytest.mark.parametrize("make", [MSE, BinaryCrossEntropy, CrossEntropy])
def test_backward_before_forward_on_a_new_loss(make):
    loss = make()                   # made here, so that __init__ is under test
    with raises_exactly(RuntimeError,
                        f"{make.__name__}.backward called before forward."):
        loss.backward()


def test_cross_entropy_p_before_forward():
    with raises_exactly(RuntimeError,
                        "CrossEntropy.backward called before forward."):
        CrossEntropy().p


@pytest.mark.parametrize("target, low, high", [
    ([[0.5], [2.0]], 0.5, 2.0),          # only too large
    ([[-0.5], [0.5]], -0.5, 0.5),        # only too small
    ([[0.5], [1.5]], 0.5, 1.5),          # just above 1
])
def test_bce_target_out_of_range(target, low, high):
    with raises_exactly(ValueError, f"target must be in [0, 1], got values "
                                    f"from {low} to {high}."):
        BinaryCrossEntropy().forward(np.full((2, 1), 0.5), np.array(target))


def test_cross_entropy_one_hot_rows_message_shows_five_rounded_sums():
    y = np.full((6, 2), 0.123456)        # six rows, each summing to 0.246912
    with raises_exactly(ValueError,
                        "one-hot target rows must each sum to 1; got row sums "
                        "[0.2469 0.2469 0.2469 0.2469 0.2469]..."):
        CrossEntropy().forward(np.zeros((6, 2)), y)


def test_cross_entropy_float_labels_are_refused():
    with raises_exactly(TypeError, "1-D target must hold integer class "
                                   "labels, got dtype float64."):
        CrossEntropy().forward(np.zeros((2, 3)), np.array([0.0, 1.0]))


# --- optimizers and fit -------------------------------------------------------------

def test_adam_eps_must_be_positive():
    with raises_exactly(ValueError, "eps must be > 0, got 0."):
        Adam(eps=0)
    with raises_exactly(TypeError, "eps must be a number, got '1e-8'."):
        Adam(eps="1e-8")


@pytest.mark.parametrize("momentum, exc, message", [
    (False, TypeError, "momentum must be a number, got False."),
    ("0.9", TypeError, "momentum must be a number, got '0.9'."),
    (1.0, ValueError, "momentum must be in [0.0, 1.0), got 1.0."),
])
def test_sgd_momentum_is_a_number_in_range(momentum, exc, message):
    with raises_exactly(exc, message):
        SGD(0.1, momentum=momentum)


def test_step_before_backward():
    layer = Dense(2, 2)
    with raises_exactly(RuntimeError,
                        "a gradient is None: call backward before step."):
        SGD(0.1).step(layer.parameters(), layer.gradients())


def _fit(X=None, y=None, **kwargs):
    X = np.zeros((4, 2)) if X is None else X
    y = np.zeros((4, 1)) if y is None else y
    options = {"epochs": 1} | kwargs
    return fit(Dense(2, 1, rng=0), MSE(), SGD(0.1), X, y, **options)


def test_fit_names_verbose():
    with raises_exactly(ValueError, "verbose must be >= 0, got -1."):
        _fit(verbose=-1)


def test_fit_names_x_for_non_numeric_data():
    with raises_exactly(TypeError, "X must be a numeric array, got dtype <U1."):
        _fit(X=np.full((4, 2), "a"))


def test_fit_names_the_validation_arrays():
    with raises_exactly(TypeError,
                        "X_val must be a numeric array, got dtype <U1."):
        _fit(validation_data=(np.full((4, 2), "a"), np.zeros((4, 1))))
    with raises_exactly(ValueError,
                        "X_val and y_val must have the same number of "
                        "samples, got len(X_val) = 4 and len(y_val) = 3."):
        _fit(validation_data=(np.zeros((4, 2)), np.zeros((3, 1))))
    with raises_exactly(ValueError,
                        "y_val contains NaN or infinite values (1 of 4)."):
        _fit(validation_data=(np.zeros((4, 2)),
                              np.array([[0.0], [np.nan], [0.0], [0.0]])))


# --- Value -------------------------------------------------------------------------

def test_value_exponent_must_be_a_number():
    with raises_exactly(TypeError,
                        "the exponent of a Value must be a finite number, got '2'."):
        Value(3.0) ** "2"


@pytest.mark.parametrize("base", [True, "2", 0, -1.5])
def test_a_base_raised_to_a_value_must_be_a_positive_number(base):
    with raises_exactly(ValueError, f"a number raised to a Value needs a base "
                                    f"> 0, got {base!r}."):
        base ** Value(2.0)


def test_module_call_is_forward():
    class Double(Module):
        def forward(self, x):
            return 2 * x

    assert Double()(3) == 6
    X = np.arange(6.0).reshape(3, 2)
    layer = Dense(2, 4, rng=0)
    np.testing.assert_array_equal(layer(X), layer.forward(X))
