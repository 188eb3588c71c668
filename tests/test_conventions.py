"""Documented conventions that a looser test would let drift.

Defaults, boundary cases (a threshold at exactly 0.5, alpha = 0), exact
reprs and what an optimizer keeps: each is stated in a docstring or in the
book, and each was found unguarded by mutation testing (``make mutation``).
"""

import numpy as np
import pytest

from nnbook import (SGD, Adam, BinaryCrossEntropy, Dense, LeakyReLU, ReLU,
                    Sequential, Tanh, leaky_relu_grad)


# --- activations --------------------------------------------------------------------

def test_leaky_relu_grad_default_alpha_is_0_01():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(leaky_relu_grad(z), [0.01, 0.01, 1.0])


def test_leaky_relu_with_alpha_0_is_relu():
    z = np.array([[-2.0, -0.0, 0.0, 3.0]])
    leaky, relu = LeakyReLU(0.0), ReLU()
    np.testing.assert_array_equal(leaky.forward(z), relu.forward(z))
    g = np.ones_like(z)
    np.testing.assert_array_equal(leaky.backward(g), relu.backward(g))
    assert repr(leaky) == "LeakyReLU(alpha=0.0)"


# --- optimizers ---------------------------------------------------------------------

def test_adam_defaults_are_those_of_the_paper():
    assert repr(Adam()) == "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"


def test_plain_sgd_keeps_no_state():
    layer = Dense(2, 2, rng=0)
    layer.forward(np.ones((3, 2)))
    layer.backward(np.ones((3, 2)))
    optimizer = SGD(0.1)
    optimizer.step(layer.parameters(), layer.gradients())
    assert optimizer.velocity is None
    momentum = SGD(0.1, momentum=0.5)
    momentum.step(layer.parameters(), layer.gradients())
    assert [v.shape for v in momentum.velocity] == [(2, 2), (2,)]


def test_adam_keeps_both_averages_per_parameter():
    layer = Dense(2, 3, rng=0)
    layer.forward(np.ones((4, 2)))
    layer.backward(np.ones((4, 3)))
    adam = Adam()
    assert adam.m is None and adam.v is None and adam.t == 0
    adam.step(layer.parameters(), layer.gradients())
    assert [m.shape for m in adam.m] == [v.shape for v in adam.v] == [
        (2, 3), (3,)]
    assert adam.t == 1


# --- Sequential ---------------------------------------------------------------------

def test_sequential_repr_exactly():
    model = Sequential([Dense(2, 4, init="xavier"), Tanh(), Dense(4, 1)])
    assert repr(model) == ("Sequential([\n"
                           "  Dense(2, 4, init='xavier'),\n"
                           "  Tanh(),\n"
                           "  Dense(4, 1, init='he'),\n"
                           "])")


# --- binary cross-entropy -----------------------------------------------------------

def test_bce_accuracy_at_exactly_one_half():
    # A probability of exactly 0.5 predicts class 0, and a soft target of
    # exactly 0.5 counts as class 0: both thresholds are "> 0.5".
    p = np.array([[0.5], [0.5], [0.51]])
    y = np.array([[0.0], [0.5], [1.0]])
    assert BinaryCrossEntropy().accuracy(p, y) == 1.0
    assert BinaryCrossEntropy().accuracy(p, np.array([[1.0], [1.0], [0.0]])) == 0.0


@pytest.mark.parametrize("target", [[[0.0], [1.0]], [[1.0], [1.0]],
                                    [[0.0], [0.0]]])
def test_bce_accepts_targets_at_both_ends(target):
    loss = BinaryCrossEntropy().forward(np.full((2, 1), 0.5), np.array(target))
    assert loss == pytest.approx(np.log(2))
