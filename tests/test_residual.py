"""Residual(module): x + module(x), its gradient, names, modes and refusals."""

import numpy as np
import pytest
from helpers import strict_numerics

import nnbook as nb
from nnbook import (MSE, BatchNorm, CrossEntropy, Dense, Residual, Sequential,
                    Tanh, check_gradients, gradient_errors)


def _dense(n_in, n_out, W, b):
    layer = Dense(n_in, n_out, rng=0)
    layer.W[...] = W
    layer.b[...] = b
    return layer


def _block(n, m, seed=0):
    return Residual(Sequential([Dense(n, m, rng=seed), Tanh(),
                                Dense(m, n, rng=seed + 1)]))


def test_forward_and_backward_by_hand():
    W = np.array([[1.0, 2.0], [-1.0, 0.5]])
    b = np.array([0.5, -1.0])
    block = Residual(_dense(2, 2, W, b))
    x = np.array([[1.0, 2.0], [3.0, -1.0]])
    # x + x @ W + b: row 1: [1, 2] + [-1, 3] + b; row 2: [3, -1] + [4, 5.5] + b
    assert np.array_equal(block.forward(x), [[0.5, 4.0], [7.5, 3.5]])
    g = np.array([[1.0, 0.0], [2.0, -1.0]])
    dX = block.backward(g)
    # g + g @ W.T: row 1: [1, 0] + [1, -1]; row 2: [2, -1] + [0, -2.5]
    assert np.array_equal(dX, [[2.0, -1.0], [2.0, -3.5]])
    assert np.array_equal(block.module.dW, x.T @ g)
    assert np.array_equal(block.module.db, [3.0, -1.0])


def test_the_jacobian_is_identity_plus_the_branch_jacobian():
    rng = np.random.default_rng(0)
    layer = Dense(4, 4, rng=1)
    block = Residual(layer)
    x = rng.standard_normal((1, 4))
    J = np.stack([nb.numerical_gradient(lambda x: block.forward(x)[0, j], x)[0]
                  for j in range(4)])                 # J[j, i] = dy_j / dx_i
    assert np.allclose(J, np.eye(4) + layer.W.T, atol=1e-8)


def test_a_branch_of_zeros_gives_the_identity():
    layer = Dense(3, 3, rng=0)
    layer.W[...] = 0.0
    block = Residual(layer)
    x = np.random.default_rng(1).standard_normal((4, 3))
    g = np.random.default_rng(2).standard_normal((4, 3))
    assert np.array_equal(block.forward(x), x)
    assert np.array_equal(block.backward(g), g)


@pytest.mark.parametrize("seed", range(6))
def test_gradients_agree_with_finite_differences_over_random_shapes(seed):
    rng = np.random.default_rng(seed)
    n_in, n, m, n_out, batch = rng.integers(1, 6, size=5)
    net = Sequential([Dense(n_in, n, rng=seed), Tanh(),
                      _block(n, m, seed=seed + 10),
                      Residual(Tanh()),
                      _block(n, m + 1, seed=seed + 20), Dense(n, n_out, rng=3)])
    X = rng.standard_normal((batch, n_in))
    Y = rng.standard_normal((batch, n_out))
    assert check_gradients(net, MSE(), X, Y) < 1e-7


def test_nested_residual_blocks_and_cross_entropy():
    rng = np.random.default_rng(5)
    inner = _block(4, 3, seed=2)
    net = Sequential([Dense(6, 4, rng=0), Residual(inner), Dense(4, 3, rng=1)])
    X = rng.standard_normal((7, 6))
    y = rng.integers(0, 3, size=7)
    assert check_gradients(net, CrossEntropy(), X, y) < 1e-7


def test_parameter_names_walk_into_the_block():
    net = Sequential([Dense(2, 3, rng=0), _block(3, 4), Dense(3, 1, rng=1)])
    X = np.random.default_rng(0).standard_normal((5, 2))
    Y = np.zeros((5, 1))
    errors = gradient_errors(net, MSE(), X, Y)
    assert list(errors) == [
        "layers[0].W", "layers[0].b",
        "layers[1].layers[0].layers[0].W", "layers[1].layers[0].layers[0].b",
        "layers[1].layers[0].layers[2].W", "layers[1].layers[0].layers[2].b",
        "layers[2].W", "layers[2].b", "X"]
    assert max(errors.values()) < 1e-7
    block = Residual(Dense(2, 2, rng=0))
    assert list(gradient_errors(block, MSE(), X, X)) == [
        "layers[0].W", "layers[0].b", "X"]


def test_parameters_and_gradients_are_the_branch_arrays():
    block = _block(3, 2)
    block.forward(np.ones((2, 3)))
    block.backward(np.ones((2, 3)))
    assert all(p is q for p, q in zip(block.parameters(),
                                      block.module.parameters()))
    assert all(p is q for p, q in zip(block.gradients(),
                                      block.module.gradients()))
    assert len(block.parameters()) == len(block.gradients()) == 4
    assert block.param_names == ()
    assert block.layers == [block.module]


def test_save_and_load_weights_round_trip(tmp_path):
    def build(seed):
        return Sequential([Dense(3, 4, rng=seed), _block(4, 2, seed=seed + 1),
                           Residual(_block(4, 3, seed=seed + 5))])
    net = build(0)
    X = np.random.default_rng(0).standard_normal((5, 3))
    path = nb.save_weights(net, tmp_path / "w")
    other = build(100)
    assert not np.allclose(other.forward(X), net.forward(X))
    nb.load_weights(other, path)
    assert np.array_equal(other.forward(X), net.forward(X))
    with np.load(path) as f:
        assert "layers[2].layers[0].layers[0].layers[2].b" in f.files


def test_train_and_eval_reach_the_branch():
    bn = BatchNorm(3)
    block = Residual(Sequential([Dense(3, 3, rng=0), bn]))
    net = Sequential([Dense(2, 3, rng=1), block])
    net.eval()
    assert block.training is False and bn.training is False
    net.train()
    assert block.training is True and bn.training is True
    assert block.eval() is block and bn.training is False
    assert block.train() is block and bn.training is True


def test_the_forward_output_is_a_new_array():
    # Tanh keeps its output for backward; adding x into it would break that.
    block = Residual(Tanh())
    x = np.array([[0.5, -1.0, 2.0]])
    y = block.forward(x)
    assert np.array_equal(block.module.a, np.tanh(x))
    assert np.array_equal(y, x + np.tanh(x))
    g = np.ones_like(x)
    assert np.allclose(block.backward(g), 1 + (1 - np.tanh(x) ** 2))


def test_the_same_module_twice_is_refused():
    d = Dense(3, 3, rng=0)
    with pytest.raises(ValueError, match="appears twice"):
        Sequential([d, Residual(d)])
    r = Residual(Tanh())
    with pytest.raises(ValueError, match="appears twice"):
        Sequential([r, r])
    t = Tanh()
    with pytest.raises(ValueError, match="appears twice"):
        Sequential([Residual(t), Residual(Sequential([Dense(3, 3), t]))])


def test_fit_trains_a_network_that_starts_with_a_block():
    block = _block(4, 5)
    first = block.module.layers[0]
    net = Sequential([block, Dense(4, 3, rng=7)])
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 4))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    W_before = first.W.copy()
    history = nb.fit(net, CrossEntropy(), nb.SGD(0.1), X, y, epochs=5,
                     batch_size=8, rng=0)
    assert history["loss"][-1] < history["loss"][0]
    assert not np.array_equal(first.W, W_before)
    assert first.input_grad is True                      # restored


def test_backward_returns_none_when_the_branch_skips_its_input_gradient():
    block = _block(3, 2)
    block.module.layers[0].input_grad = False
    block.forward(np.ones((2, 3)))
    assert block.backward(np.ones((2, 3))) is None
    assert block.module.layers[0].dW is not None


def test_a_branch_that_changes_the_shape_is_refused():
    block = Residual(Dense(3, 4, rng=0))
    with pytest.raises(ValueError) as info:
        block.forward(np.ones((2, 3)))
    assert str(info.value) == (
        "Residual adds the input to the output of its module, so the module "
        "must keep the shape: input of shape (2, 3), module output of shape "
        "(2, 4). Use a branch that maps n features to n (e.g. Dense(n, n)).")


@pytest.mark.parametrize("module", [None, Tanh, [Tanh()], lambda x: x,
                                    MSE()])
def test_a_non_module_is_refused(module):
    with pytest.raises(TypeError, match=r"^module must be a Module such as "):
        Residual(module)


def test_text_input_is_refused_by_name():
    with pytest.raises(TypeError, match=r"^x must be a numeric array"):
        Residual(Tanh()).forward(np.array([["a", "b"]]))


def test_backward_checks_grad_out():
    block = Residual(Tanh())
    with pytest.raises(RuntimeError, match=r"^Residual\.backward called before"):
        block.backward(np.ones((2, 3)))
    block.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^Residual\.backward expected grad_out "
                                         r"of shape \(2, 3\)"):
        block.backward(np.ones((3, 2)))


def test_extreme_and_integer_input():
    block = Residual(Tanh())
    with strict_numerics():
        y = block.forward(np.array([[1e300, -1e300, 0.0]]))
        dX = block.backward(np.ones((1, 3)))
    assert np.array_equal(y, [[1e300, -1e300, 0.0]])
    assert np.array_equal(dX, [[1.0, 1.0, 2.0]])
    y = block.forward([[1, 2]])
    assert y.dtype == np.float64
    assert np.allclose(y, [[1 + np.tanh(1), 2 + np.tanh(2)]])


def test_float32_block_keeps_float32_in_a_network():
    net = Sequential([Dense(3, 3, rng=0, dtype=np.float32),
                      Residual(Dense(3, 3, rng=1, dtype=np.float32))])
    X = np.ones((2, 3), dtype=np.float32)
    assert net.forward(X).dtype == np.float32
    assert net.backward(np.ones((2, 3), np.float32)).dtype == np.float32


def test_repr():
    assert repr(Residual(Tanh())) == "Residual(Tanh())"
    assert repr(Residual(Sequential([Tanh()]))) == (
        "Residual(Sequential([\n    Tanh(),\n  ]))")
