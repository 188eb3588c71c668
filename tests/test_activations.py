"""Activation functions and modules: values, derivatives, extremes, purity."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from helpers import strict_numerics

from nnbook import (
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    identity,
    identity_grad,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_backward,
    tanh,
    tanh_grad,
)


Z = np.array([[-3.0, -0.5, 0.0, 0.25, 2.0],
              [4.0, -1.0, 1.5, -2.5, 0.1]])


# --- function values, against the textbook formulas -----------------------------------

def test_sigmoid_values():
    assert sigmoid(np.array(0.0)) == 0.5
    assert np.allclose(sigmoid(Z), 1 / (1 + np.exp(-Z)), rtol=1e-15, atol=0)
    assert np.allclose(sigmoid(-Z), 1 - sigmoid(Z), rtol=0, atol=1e-15)


def test_tanh_relu_leaky_identity_values():
    assert np.allclose(tanh(Z), (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z)))
    assert np.array_equal(relu(Z), [[0, 0, 0, 0.25, 2], [4, 0, 1.5, 0, 0.1]])
    assert np.allclose(leaky_relu(Z, 0.1),
                       [[-0.3, -0.05, 0, 0.25, 2], [4, -0.1, 1.5, -0.25, 0.1]])
    assert np.allclose(leaky_relu(Z), np.where(Z > 0, Z, 0.01 * Z))
    assert np.array_equal(identity(Z), Z)


def test_softmax_values():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 5.0, 0.5]])
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    a = softmax(z)
    assert np.allclose(a, expected, rtol=1e-14, atol=0)
    assert np.allclose(a.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert np.allclose(a[1], 1 / 3)
    # Adding a constant to a row changes nothing.
    assert np.allclose(softmax(z + np.array([[100.0], [-50.0], [7.0]])), a)


def test_derivative_functions():
    h = 1e-6
    numeric = lambda f: (f(Z + h) - f(Z - h)) / (2 * h)
    z = Z + 0.01                       # no kink exactly at a sample
    assert np.allclose(sigmoid_grad(sigmoid(Z)), numeric(sigmoid), atol=1e-9)
    assert np.allclose(tanh_grad(tanh(Z)), numeric(tanh), atol=1e-9)
    assert np.array_equal(relu_grad(z), (z > 0).astype(float))
    assert np.array_equal(leaky_relu_grad(z, 0.2), np.where(z > 0, 1.0, 0.2))
    assert np.array_equal(identity_grad(Z), np.ones_like(Z))
    # The conventions at the kink: relu'(0) = 0, leaky_relu'(0) = alpha.
    assert relu_grad(np.array([0.0]))[0] == 0.0
    assert leaky_relu_grad(np.array([0.0]), 0.2)[0] == 0.2


def test_derivatives_keep_the_dtype():
    z32 = Z.astype(np.float32)
    for out in (relu_grad(z32), leaky_relu_grad(z32), identity_grad(z32),
                sigmoid_grad(sigmoid(z32)), tanh_grad(tanh(z32)), softmax(z32)):
        assert out.dtype == np.float32


# --- the ReLU mask example of the Backpropagation chapter -----------------------------

def test_relu_backward_masks_like_the_seed_example():
    z = np.array([[1.0, 2, -3, -4], [2, -7, -1, 3], [-1, 2, 5, -1]])
    dvalues = np.array([[1.0, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
    module = ReLU()
    module.forward(z)
    assert np.array_equal(module.backward(dvalues),
                          [[1, 2, 0, 0], [5, 0, 0, 8], [0, 10, 11, 0]])


def test_relu_and_leaky_relu_modules_take_the_kink_as_negative():
    z = np.array([[0.0, -0.0, 1e-300, -1e-300]])
    relu_module, leaky_module = ReLU(), LeakyReLU(0.1)
    relu_module.forward(z)
    leaky_module.forward(z)
    g = np.full((1, 4), 2.0)
    assert np.array_equal(relu_module.backward(g), [[0.0, 0.0, 2.0, 0.0]])
    assert np.array_equal(leaky_module.backward(g), [[0.2, 0.2, 2.0, 0.2]])
    assert np.array_equal(relu_module.backward(g), g * relu_grad(z))


def test_leaky_relu_backward_scales_the_negative_side():
    module = LeakyReLU(0.1)
    module.forward(np.array([[2.0, -3.0]]))
    assert np.allclose(module.backward(np.array([[5.0, 5.0]])), [[5.0, 0.5]])


# --- Softmax: the full vector-Jacobian product ----------------------------------------

@settings(max_examples=30)
@given(batch=st.integers(1, 6), n_classes=st.integers(1, 6),
       seed=st.integers(0, 2**32 - 1))
def test_softmax_backward_is_the_explicit_jacobian_product(batch, n_classes, seed):
    rng = np.random.default_rng(seed)
    z = 3.0 * rng.standard_normal((batch, n_classes))
    g = rng.standard_normal((batch, n_classes))
    module = Softmax()
    a = module.forward(z)
    dz = module.backward(g)
    for i in range(batch):
        J = np.diag(a[i]) - np.outer(a[i], a[i])       # d a_j / d z_k
        assert np.allclose(dz[i], J.T @ g[i], rtol=1e-12, atol=1e-15)
    assert np.allclose(softmax_backward(a, g), dz, rtol=0, atol=0)
    # Every row of J sums to 0: a constant gradient passes nothing back.
    assert np.allclose(module.backward(np.ones_like(g)), 0.0, atol=1e-15)


def test_softmax_backward_numbers():
    a = np.array([[0.7, 0.1, 0.2]])
    g = np.array([[1.0, 0.0, 0.0]])
    # Row 0 of diag(a) - a a^T: [0.7 - 0.49, -0.07, -0.14].
    assert np.allclose(softmax_backward(a, g), [[0.21, -0.07, -0.14]])


# --- extreme inputs: exact limits, finite, and no NumPy warning -----------------------

def test_sigmoid_at_plus_minus_1000():
    with strict_numerics():
        a = sigmoid(np.array([-1000.0, 1000.0]))
    assert a[0] == 0.0 and a[1] == 1.0
    assert np.all(np.isfinite(a))


def test_sigmoid_module_backward_at_plus_minus_1000():
    module = Sigmoid()
    with strict_numerics():
        a = module.forward(np.array([[-1000.0, 1000.0, 0.0]]))
        dz = module.backward(np.ones((1, 3)))
    assert np.array_equal(a, [[0.0, 1.0, 0.5]])
    assert np.all(np.isfinite(dz))
    assert np.array_equal(dz, [[0.0, 0.0, 0.25]])


def test_tanh_module_at_plus_minus_1000():
    module = Tanh()
    with strict_numerics():
        a = module.forward(np.array([[-1000.0, 1000.0]]))
        dz = module.backward(np.ones((1, 2)))
    assert np.array_equal(a, [[-1.0, 1.0]]) and np.array_equal(dz, [[0.0, 0.0]])


def test_softmax_at_logits_plus_minus_1e4():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4]])
    module = Softmax()
    with strict_numerics():
        a = module.forward(z)
        dz = module.backward(np.array([[1.0, 2.0, 3.0]] * 3))
        a_fn = softmax(z)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(dz))
    assert np.allclose(a.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert np.allclose(a, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0]])
    assert np.array_equal(a, a_fn)


# --- no function changes its argument (modules: test_modules.py) ----------------------

@pytest.mark.parametrize("fn", [identity, sigmoid, tanh, relu, leaky_relu, softmax,
                                identity_grad, relu_grad, leaky_relu_grad,
                                sigmoid_grad, tanh_grad])
def test_functions_do_not_mutate_their_argument(fn):
    z = Z.copy()
    fn(z)
    assert np.array_equal(z, Z)
    a, g = softmax(Z), Z.copy()
    softmax_backward(a, g)
    assert np.array_equal(g, Z) and np.array_equal(a, softmax(Z))


# --- dtype and repr -------------------------------------------------------------------

def test_reprs():
    assert repr(ReLU()) == "ReLU()"
    assert repr(Sigmoid()) == "Sigmoid()"
    assert repr(Tanh()) == "Tanh()"
    assert repr(Identity()) == "Identity()"
    assert repr(Softmax()) == "Softmax()"
    assert repr(LeakyReLU(0.2)) == "LeakyReLU(alpha=0.2)"
    assert repr(LeakyReLU()) == "LeakyReLU(alpha=0.01)"
