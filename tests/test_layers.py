"""Dense and Sequential: the Backpropagation chapter's numbers, initialization,
reprs."""

from pathlib import Path

import numpy as np
import pytest

import nnbook
from nnbook import (
    SGD,
    Dense,
    Identity,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    mlp,
    init_weights,
)

ROOT = Path(__file__).resolve().parents[1]

# The batch example of the Backpropagation chapter (inputs, weights as
# (n_in, n_out), biases).
INPUTS = np.array([[1, 2, 3, 2.5], [2, 5, -1, 2], [-1.5, 2.7, 3.3, -0.8]])
WEIGHTS = np.array([[0.2, 0.8, -0.5, 1], [0.5, -0.91, 0.26, -0.5],
                    [-0.26, -0.27, 0.17, 0.87]]).T
BIASES = np.array([2, 3, 0.5])


def dense_with(W, b):
    layer = Dense(*W.shape)
    layer.W[...] = W
    layer.b[...] = b
    return layer


def test_the_engine_under_test_is_this_repository():
    assert Path(nnbook.__file__).resolve() == ROOT / "nnbook" / "__init__.py"


# --- the Backpropagation chapter: one neuron ------------------------------------------

def test_single_neuron_of_the_seed():
    x = np.array([[1.0, -2.0, 3.0]])
    neuron = dense_with(np.array([[-3.0], [-1.0], [2.0]]), [1.0])
    model = Sequential([neuron, ReLU()])
    assert np.array_equal(model.forward(x), [[6.0]])
    dX = model.backward(np.array([[1.0]]))
    assert np.array_equal(dX, [[-3.0, -1.0, 2.0]])
    assert np.array_equal(neuron.dW, [[1.0], [-2.0], [3.0]])
    assert np.array_equal(neuron.db, [1.0])
    SGD(0.001).step(model.parameters(), model.gradients())
    assert np.allclose(neuron.W.ravel(), [-3.001, -0.998, 1.997], rtol=0, atol=1e-12)
    assert neuron.b[0] == pytest.approx(0.999, abs=1e-12)
    assert model.forward(x)[0, 0] == pytest.approx(5.985, abs=1e-12)


# --- the Backpropagation chapter: a layer on a batch ----------------------------------

def test_dense_forward_on_the_seed_batch():
    layer = dense_with(WEIGHTS, BIASES)
    expected = INPUTS @ WEIGHTS + BIASES
    assert np.allclose(layer.forward(INPUTS), expected, rtol=0, atol=1e-12)
    assert np.allclose(layer.forward(INPUTS)[0], [4.8, 1.21, 2.385])


def test_dense_backward_on_the_seed_batch():
    layer = dense_with(WEIGHTS, BIASES)
    layer.forward(INPUTS)
    dvalues = np.array([[1.0, 1, 1], [2, 2, 2], [3, 3, 3]])
    dinputs = layer.backward(dvalues)
    assert np.allclose(dinputs, [[0.44, -0.38, -0.07, 1.37],
                                 [0.88, -0.76, -0.14, 2.74],
                                 [1.32, -1.14, -0.21, 4.11]], rtol=0, atol=1e-12)
    assert np.allclose(layer.dW, [[0.5, 0.5, 0.5], [20.1, 20.1, 20.1],
                                  [10.9, 10.9, 10.9], [4.1, 4.1, 4.1]],
                       rtol=0, atol=1e-12)
    assert np.allclose(layer.db, [6.0, 6.0, 6.0], rtol=0, atol=1e-12)
    assert layer.dW.shape == layer.W.shape and layer.db.shape == layer.b.shape


def test_layer_update_of_the_seed():
    layer = dense_with(WEIGHTS, BIASES)
    model = Sequential([layer, ReLU()])
    out = model.forward(INPUTS)
    model.backward(out)                 # the upstream gradient is the output
    SGD(0.001).step(model.parameters(), model.gradients())
    assert np.allclose(layer.W, [[0.179515, 0.5003665, -0.262746],
                                 [0.742093, -0.9152577, -0.2758402],
                                 [-0.510153, 0.2529017, 0.1629592],
                                 [0.971328, -0.5021842, 0.8636583]],
                       rtol=0, atol=1e-9)
    assert np.allclose(layer.b, [1.98489, 2.997739, 0.497389], rtol=0, atol=1e-9)


def test_dense_backward_without_input_gradient():
    layer = dense_with(WEIGHTS, BIASES)
    layer.forward(INPUTS)
    layer.input_grad = False
    assert layer.backward(np.ones((3, 3))) is None
    assert np.allclose(layer.dW, INPUTS.T @ np.ones((3, 3)))
    assert np.allclose(layer.db, [3.0, 3.0, 3.0])


def test_dense_backward_before_forward_leaves_no_gradient():
    layer = Dense(3, 2, rng=0)
    assert layer.gradients() == [None, None]
    assert layer.parameters()[0] is layer.W and layer.parameters()[1] is layer.b


# --- initialization -------------------------------------------------------------------

@pytest.mark.parametrize("init, std", [
    ("he", np.sqrt(2 / 400)),
    ("xavier", np.sqrt(2 / (400 + 300))),
    ("normal", 1.0),
])
def test_init_scales(init, std):
    layer = Dense(400, 300, init=init, rng=0)
    assert layer.W.shape == (400, 300) and layer.b.shape == (300,)
    assert np.array_equal(layer.b, np.zeros(300))
    assert abs(layer.W.mean()) < 0.01 * std
    assert layer.W.std() == pytest.approx(std, rel=0.01)


def test_init_is_seeded():
    assert np.array_equal(Dense(5, 4, rng=3).W, Dense(5, 4, rng=3).W)
    assert not np.array_equal(Dense(5, 4, rng=3).W, Dense(5, 4, rng=4).W)
    rng_a, rng_b = np.random.default_rng(9), np.random.default_rng(9)
    first = [Dense(3, 3, rng=rng_a).W for _ in range(2)]
    second = [Dense(3, 3, rng=rng_b).W for _ in range(2)]
    assert np.array_equal(first[1], second[1])
    assert not np.array_equal(first[0], first[1])      # the generator advances
    assert np.array_equal(init_weights(5, 4, "he", np.random.default_rng(3)),
                          Dense(5, 4, rng=3).W)


def test_dense_float32():
    layer = Dense(4, 3, rng=0, dtype=np.float32)
    assert layer.W.dtype == np.float32 and layer.b.dtype == np.float32
    out = layer.forward(INPUTS)                         # float64 input
    assert out.dtype == np.float32
    dX = layer.backward(np.ones((3, 3), dtype=np.float32))
    assert dX.dtype == layer.dW.dtype == layer.db.dtype == np.float32


def test_dense_accepts_lists_and_integers():
    layer = dense_with(WEIGHTS, BIASES)
    assert np.allclose(layer.forward(INPUTS.tolist()), INPUTS @ WEIGHTS + BIASES)
    ints = np.array([[1, 2, 3, 4]])
    assert np.allclose(layer.forward(ints), ints @ WEIGHTS + BIASES)


# --- Sequential -----------------------------------------------------------------------

def test_sequential_runs_the_layers_in_order():
    rng = np.random.default_rng(1)
    first, second = Dense(4, 5, rng=rng), Dense(5, 2, rng=rng)
    model = Sequential([first, Tanh(), second])
    X = rng.standard_normal((3, 4))
    expected = np.tanh(X @ first.W + first.b) @ second.W + second.b
    assert np.allclose(model.forward(X), expected, rtol=1e-14, atol=0)
    assert np.array_equal(model.predict(X), model.forward(X))


def test_sequential_backward_chains_the_layers():
    rng = np.random.default_rng(2)
    first, second = Dense(4, 5, rng=rng), Dense(5, 2, rng=rng)
    model = Sequential([first, Tanh(), second])
    X = rng.standard_normal((3, 4))
    g = rng.standard_normal((3, 2))
    model.forward(X)
    dX = model.backward(g)
    # By hand: dH = g W2^T, dZ1 = dH (1 - tanh^2), dX = dZ1 W1^T.
    h = np.tanh(X @ first.W + first.b)
    dZ1 = (g @ second.W.T) * (1 - h**2)
    assert np.allclose(second.dW, h.T @ g) and np.allclose(second.db, g.sum(0))
    assert np.allclose(first.dW, X.T @ dZ1) and np.allclose(first.db, dZ1.sum(0))
    assert np.allclose(dX, dZ1 @ first.W.T)
    first.input_grad = False                 # as fit sets it on layer 0
    assert model.backward(g) is None
    assert np.allclose(first.dW, X.T @ dZ1)


def test_sequential_parameters_and_gradients_in_layer_order():
    first, second = Dense(2, 3, rng=0), Dense(3, 1, rng=1)
    model = Sequential([first, ReLU(), second, Sigmoid()])
    params = model.parameters()
    assert len(params) == 4
    assert all(p is q for p, q in zip(params, [first.W, first.b,
                                              second.W, second.b]))
    model.forward(np.ones((2, 2)))
    model.backward(np.ones((2, 1)))
    grads = model.gradients()
    assert all(g is q for g, q in zip(grads, [first.dW, first.db,
                                             second.dW, second.db]))
    assert Sequential([Tanh(), ReLU()]).parameters() == []


# --- reprs ----------------------------------------------------------------------------

def test_dense_repr():
    assert repr(Dense(3, 2)) == "Dense(3, 2, init='he')"
    assert repr(Dense(64, 10, init="xavier")) == "Dense(64, 10, init='xavier')"


def test_sequential_repr_lists_its_layers():
    model = Sequential([Dense(2, 4, init="xavier"), Tanh(), Dense(4, 1),
                        LeakyReLU(0.2)])
    text = repr(model)
    assert text.startswith("Sequential(")
    parts = ["Dense(2, 4, init='xavier')", "Tanh()", "Dense(4, 1, init='he')",
             "LeakyReLU(alpha=0.2)"]
    positions = [text.find(part) for part in parts]
    assert -1 not in positions and positions == sorted(positions), text
    assert text.count("\n") >= len(parts)            # one layer per line


# --- mlp: the builder the chapters share ----------------------------------------------

def test_mlp_is_the_network_written_out():
    net = mlp([4, 3, 5, 2], Tanh, init="xavier", rng=7)
    rng = np.random.default_rng(7)
    by_hand = Sequential([Dense(4, 3, init="xavier", rng=rng), Tanh(),
                          Dense(3, 5, init="xavier", rng=rng), Tanh(),
                          Dense(5, 2, init="xavier", rng=rng)])
    assert [type(m) for m in net.layers] == [type(m) for m in by_hand.layers]
    for p, q in zip(net.parameters(), by_hand.parameters()):
        assert p.shape == q.shape and np.array_equal(p, q)
    assert net.layers[0].init == "xavier"


def test_mlp_defaults_and_dtype():
    net = mlp([3, 2], ReLU, rng=0)          # one layer: no activation at all
    assert len(net.layers) == 1 and net.layers[0].init == "he"
    assert net.layers[0].W.dtype == np.float64
    net32 = mlp([3, 4, 2], ReLU, rng=0, dtype=np.float32)
    assert all(p.dtype == np.float32 for p in net32.parameters())
    assert np.array_equal(mlp([3, 4, 2], ReLU, rng=1).layers[0].W,
                          mlp([3, 4, 2], ReLU, rng=1).layers[0].W)


def test_mlp_needs_two_sizes():
    with pytest.raises(ValueError, match=r"at least n_in and n_out, got \[3\]"):
        mlp([3], ReLU)


def test_predict_runs_in_evaluation_mode_and_restores_the_mode():
    seen = []

    class Spy(Identity):
        def forward(self, z):
            seen.append(self.training)
            return super().forward(z)

    model = Sequential([Dense(2, 2, rng=0), Spy()])
    for mode in (True, False):
        model.train(mode)
        model.predict(np.ones((1, 2)))
        assert model.training is mode and model.layers[1].training is mode
    assert seen == [False, False]

