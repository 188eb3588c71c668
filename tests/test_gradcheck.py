"""Every backward against central finite differences, and the checker itself.

Each analytic gradient (parameters and the input) is compared with two
numerical estimates: nnbook's own ``numerical_gradient`` and ``central_diff``
below, written independently (it perturbs copies, never the array itself), so
the checker is not the only thing checking itself. All in float64; the bound
on the relative error is 1e-7.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnbook import (
    MSE,
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    Identity,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    check_gradients,
    gradient_errors,
    numerical_gradient,
    relative_error,
)

TOL = 1e-7
seeds = st.integers(0, 2**32 - 1)
batches = st.integers(1, 6)
widths = st.integers(1, 5)


# --- an independent checker ---------------------------------------------------

def central_diff(f, x, h=1e-6):
    """d f / d x by central differences on copies of ``x`` (float64)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        grad.flat[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def rel_err(a, b):
    """|a - b| / (|a| + |b|), 0 when both are 0 (our own, not nnbook's)."""
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def with_value(arr, value, f):
    """Evaluate ``f()`` with ``arr`` (a parameter array) set to ``value``."""
    saved = arr.copy()
    arr[...] = value
    try:
        return f()
    finally:
        arr[...] = saved


def assert_close_to_both(analytic, f_of_x, x, *, param=None):
    """``analytic`` matches both numerical estimates of d f / d x.

    ``f_of_x(x)`` computes the scalar from ``x``. For a parameter
    (``param`` is the array inside the model), nnbook's checker perturbs the
    parameter in place and the independent one substitutes copies into it.
    """
    if param is None:
        ours = numerical_gradient(f_of_x, np.array(x, dtype=np.float64))
        independent = central_diff(f_of_x, x)
    else:
        ours = numerical_gradient(lambda _: f_of_x(None), param)
        independent = central_diff(
            lambda v: with_value(param, v, lambda: f_of_x(None)), param)
    assert analytic.shape == np.shape(x)
    assert relative_error(analytic, ours) < TOL, (analytic, ours)
    assert rel_err(analytic, independent) < TOL, (analytic, independent)


def assume_measurable(*grads):
    """Skip examples where a gradient is tiny but not zero (a cancellation).

    Finite differences carry a round-off error of about 1e-10 (absolute); on
    a gradient of norm 1e-3 that alone is a relative error of 1e-7, whatever
    the backward. Exact zeros (a ReLU fed only negatives) are kept.
    """
    for g in grads:
        norm = np.linalg.norm(g)
        assume(norm == 0 or norm > 1e-2)


def away_from_kink(z, gap=1e-3):
    """Move entries within ``gap`` of 0 (the ReLU kink) to about 10 gap."""
    z = z.copy()
    z[np.abs(z) < gap] += 10 * gap
    return z


# --- activation modules ---------------------------------------------------------

ACTIVATIONS = {
    "Identity": Identity,
    "Sigmoid": Sigmoid,
    "Tanh": Tanh,
    "ReLU": ReLU,
    "LeakyReLU(0.01)": lambda: LeakyReLU(0.01),
    "LeakyReLU(0.3)": lambda: LeakyReLU(0.3),
    "Softmax": Softmax,
}


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(max_examples=25)
@given(batch=batches, width=widths, seed=seeds)
def test_activation_input_gradient(name, batch, width, seed):
    rng = np.random.default_rng(seed)
    z = away_from_kink(2.0 * rng.standard_normal((batch, width)))
    g = rng.standard_normal((batch, width))     # a random upstream gradient
    module = ACTIVATIONS[name]()

    def f(x):                                   # a scalar: sum(out * g)
        return float(np.sum(module.forward(x) * g))

    module.forward(z)
    dz = module.backward(g)
    assume_measurable(dz)
    assert_close_to_both(dz, f, z)


# --- Dense ------------------------------------------------------------------------

@pytest.mark.parametrize("init", ["he", "xavier", "normal"])
@settings(max_examples=20)
@given(batch=batches, n_in=widths, n_out=widths, seed=seeds)
def test_dense_gradients(init, batch, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, init=init, rng=rng)
    layer.b[...] = rng.standard_normal(n_out)   # a nonzero bias
    X = rng.standard_normal((batch, n_in))
    g = rng.standard_normal((batch, n_out))

    def f(x):
        return float(np.sum(layer.forward(X if x is None else x) * g))

    layer.forward(X)
    dX = layer.backward(g)
    dW, db = layer.dW.copy(), layer.db.copy()
    assume_measurable(dX, dW, db)
    assert_close_to_both(dX, f, X)
    assert_close_to_both(dW, f, layer.W, param=layer.W)
    assert_close_to_both(db, f, layer.b, param=layer.b)


# --- losses -------------------------------------------------------------------------

def _loss_case(name, rng, batch, width):
    """(loss, pred, target) with pred kept where the loss is smooth."""
    if name == "MSE":
        return (MSE(), rng.standard_normal((batch, width)),
                rng.standard_normal((batch, width)))
    if name == "BCE soft targets":
        return (BinaryCrossEntropy(), rng.uniform(0.05, 0.95, (batch, width)),
                rng.uniform(0, 1, (batch, width)))
    if name == "BCE hard targets":
        return (BinaryCrossEntropy(), rng.uniform(0.05, 0.95, (batch, width)),
                rng.integers(0, 2, (batch, width)).astype(float))
    logits = 2.0 * rng.standard_normal((batch, width + 1))    # >= 2 classes
    labels = rng.integers(0, width + 1, batch)
    if name == "CrossEntropy labels":
        return CrossEntropy(), logits, labels
    return CrossEntropy(), logits, np.eye(width + 1)[labels]  # one-hot


@pytest.mark.parametrize("name", ["MSE", "BCE soft targets", "BCE hard targets",
                                  "CrossEntropy labels", "CrossEntropy one-hot"])
@settings(max_examples=25)
@given(batch=batches, width=widths, seed=seeds)
def test_loss_gradient(name, batch, width, seed):
    loss, pred, target = _loss_case(name, np.random.default_rng(seed),
                                    batch, width)
    loss.forward(pred, target)
    analytic = loss.backward().copy()
    assume_measurable(analytic)
    assert_close_to_both(analytic, lambda p: loss.forward(p, target), pred)


# --- whole networks -----------------------------------------------------------------

def _network(kind, n_in, hidden, rng):
    """A stack and a loss that fits its output."""
    if kind == "tanh-sigmoid + BCE":
        return (Sequential([Dense(n_in, hidden, init="xavier", rng=rng), Tanh(),
                            Dense(hidden, 1, init="xavier", rng=rng), Sigmoid()]),
                BinaryCrossEntropy())
    if kind == "relu + MSE":
        return (Sequential([Dense(n_in, hidden, rng=rng), ReLU(),
                            Dense(hidden, 2, rng=rng), Identity()]),
                MSE())
    if kind == "leaky-relu + CrossEntropy":
        return (Sequential([Dense(n_in, hidden, rng=rng), LeakyReLU(0.1),
                            Dense(hidden, hidden, rng=rng), LeakyReLU(0.1),
                            Dense(hidden, 3, rng=rng)]),
                CrossEntropy())
    return (Sequential([Dense(n_in, hidden, init="normal", rng=rng), Sigmoid(),
                        Dense(hidden, 3, init="normal", rng=rng), Softmax()]),
            MSE())


def _targets(kind, rng, batch):
    if kind == "tanh-sigmoid + BCE":
        return rng.integers(0, 2, (batch, 1)).astype(float)
    if kind == "relu + MSE":
        return rng.standard_normal((batch, 2))
    if kind == "leaky-relu + CrossEntropy":
        return rng.integers(0, 3, batch)
    return np.eye(3)[rng.integers(0, 3, batch)]


def _pre_activations_clear_of_kinks(model, X):
    """True when no hidden ReLU/LeakyReLU input is within 1e-3 of 0."""
    for layer in model.layers:
        if isinstance(layer, (ReLU, LeakyReLU)) and np.any(np.abs(X) < 1e-3):
            return False
        X = layer.forward(X)
    return True


NETWORKS = ["tanh-sigmoid + BCE", "relu + MSE", "leaky-relu + CrossEntropy",
            "sigmoid-softmax + MSE"]


@pytest.mark.parametrize("kind", NETWORKS)
@settings(max_examples=15)
@given(batch=batches, n_in=widths, hidden=st.integers(2, 5), seed=seeds)
def test_sequential_gradients(kind, batch, n_in, hidden, seed):
    rng = np.random.default_rng(seed)
    model, loss = _network(kind, n_in, hidden, rng)
    for layer in model.layers:
        if isinstance(layer, Dense):
            layer.b[...] = 0.5 * rng.standard_normal(layer.b.shape)
    X = rng.standard_normal((batch, n_in))
    y = _targets(kind, rng, batch)
    assume(_pre_activations_clear_of_kinks(model, X))
    loss.forward(model.forward(X), y)
    dX = model.backward(loss.backward())
    grads = [g.copy() for g in model.gradients()]
    assume_measurable(dX, *grads)

    # nnbook's checker, over every parameter and the input.
    errors = gradient_errors(model, loss, X, y)
    n_dense = sum(isinstance(layer, Dense) for layer in model.layers)
    assert len(errors) == 2 * n_dense + 1
    assert max(errors.values()) < TOL, errors
    assert check_gradients(model, loss, X, y) < TOL

    # The independent checker on the same arrays.
    def f(x):
        return loss.forward(model.forward(X if x is None else x), y)

    assert rel_err(dX, central_diff(f, X)) < TOL
    for p, g in zip(model.parameters(), grads):
        numeric = central_diff(lambda v, p=p: with_value(p, v, lambda: f(None)), p)
        assert rel_err(g, numeric) < TOL


def test_nested_sequential_gradients_are_named_by_path():
    rng = np.random.default_rng(7)
    inner = Sequential([Dense(3, 4, rng=rng), Tanh()])
    model = Sequential([inner, Dense(4, 2, rng=rng)])
    X = rng.standard_normal((5, 3))
    y = rng.standard_normal((5, 2))
    errors = gradient_errors(model, MSE(), X, y)
    assert set(errors) == {"layers[0].layers[0].W", "layers[0].layers[0].b",
                           "layers[1].W", "layers[1].b", "X"}
    assert max(errors.values()) < TOL


# --- the checker must fail on wrong gradients ----------------------------------------

class SigmoidForgetsAFactor(Sigmoid):
    """Wrong on purpose: drops the (1 - a) of a (1 - a)."""

    def backward(self, grad_out):
        return grad_out * self.a


class DenseWithMeanBias(Dense):
    """Wrong on purpose: db is the batch mean of dZ, not its sum."""

    def backward(self, dZ):
        dX = super().backward(dZ)
        self.db = dZ.mean(axis=0)
        return dX


class DenseWithoutTranspose(Dense):
    """Wrong on purpose: dX uses W where W.T belongs (square layer)."""

    def backward(self, dZ):
        super().backward(dZ)
        return dZ @ self.W


def test_checker_fails_on_a_sigmoid_missing_a_factor():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    good = Sequential([Dense(3, 2, rng=1), Sigmoid()])
    bad = Sequential([Dense(3, 2, rng=1), SigmoidForgetsAFactor()])
    assert check_gradients(good, MSE(), X, y) < TOL
    errors = gradient_errors(bad, MSE(), X, y)
    assert check_gradients(bad, MSE(), X, y) > 1e-3
    assert errors["X"] > 1e-3 and errors["layers[0].W"] > 1e-3


def test_checker_fails_on_a_mean_bias_gradient_and_names_it():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((8, 3)), rng.standard_normal((8, 2))
    model = Sequential([DenseWithMeanBias(3, 2, rng=2)])
    errors = gradient_errors(model, MSE(), X, y)
    assert check_gradients(model, MSE(), X, y) > 1e-3
    assert errors["layers[0].b"] > 1e-3
    # The other gradients are right, so the checker points at the bias.
    assert errors["layers[0].W"] < TOL and errors["X"] < TOL


def test_checker_fails_on_a_missing_transpose():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    model = Sequential([DenseWithoutTranspose(3, 3, init="normal", rng=3)])
    errors = gradient_errors(model, MSE(), X, y)
    assert errors["X"] > 1e-3
    assert errors["layers[0].W"] < TOL


# --- numerical_gradient and relative_error ------------------------------------------

def test_numerical_gradient_of_a_known_function():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 4))
    numeric = numerical_gradient(lambda v: float(np.sum(v**3 + np.sin(v))), x)
    assert numeric.dtype == np.float64 and numeric.shape == x.shape
    assert rel_err(numeric, 3 * x**2 + np.cos(x)) < TOL


def test_numerical_gradient_restores_its_input_exactly():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((5, 4))
    eps = 1e-6
    # Precondition: undoing the nudges arithmetically (+eps, -2 eps, +eps)
    # would NOT give x back, so only restoring the saved value passes.
    assert np.any(((x + eps) - 2 * eps) + eps != x)
    saved = x.copy()
    numerical_gradient(lambda v: float(np.sum(v**2)), x, eps)
    assert np.array_equal(x, saved)


def test_numerical_gradient_restores_its_input_when_f_raises():
    x = np.array([0.7, 1 / 3, 0.3])
    saved = x.copy()
    calls = []

    def f(v):
        calls.append(v.copy())
        if len(calls) == 3:                     # x[1] is nudged up right now
            raise ArithmeticError("boom")
        return float(np.sum(v))

    with pytest.raises(ArithmeticError, match="boom"):
        numerical_gradient(f, x)
    assert np.array_equal(x, saved)
    assert calls[0][0] != saved[0]              # it did perturb x itself


def test_numerical_gradient_accepts_a_list():
    numeric = numerical_gradient(lambda v: float(v[0] * v[1]), [2, 3])
    assert np.allclose(numeric, [3.0, 2.0], rtol=0, atol=1e-8)


def test_relative_error_values_and_edge_cases():
    assert relative_error(np.zeros((2, 3)), np.zeros((2, 3))) == 0.0
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)
    assert relative_error([1.0], [-1.0]) == pytest.approx(1.0)
    assert relative_error([3.0], [1.0]) == pytest.approx(0.5)
    assert relative_error([3.0], [1.0]) == relative_error([1.0], [3.0])
    assert relative_error([0.0, 0.0], [1e-30, 0.0]) == pytest.approx(1.0)


def test_relative_error_shape_mismatch():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3, 2\)"):
        relative_error(np.zeros((2, 3)), np.zeros((3, 2)))


def test_gradient_errors_restores_the_parameters():
    rng = np.random.default_rng(5)
    model = Sequential([Dense(3, 4, rng=rng), Tanh(), Dense(4, 2, rng=rng)])
    for layer in (model.layers[0], model.layers[2]):
        layer.b[...] = rng.standard_normal(layer.b.shape)
    saved = [p.copy() for p in model.parameters()]
    X = rng.standard_normal((4, 3))
    X_saved = X.copy()
    gradient_errors(model, MSE(), X, rng.standard_normal((4, 2)))
    assert all(np.array_equal(p, s) for p, s in zip(model.parameters(), saved))
    assert np.array_equal(X, X_saved)


# --- what the checker computes in, and what it passes on -----------------------------

def test_relative_error_is_computed_in_float64():
    rng = np.random.default_rng(0)
    a = rng.standard_normal(50).astype(np.float32)
    b = a + (1e-3 * rng.standard_normal(50)).astype(np.float32)
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    expected = np.linalg.norm(a64 - b64) / (np.linalg.norm(a64)
                                            + np.linalg.norm(b64))
    assert relative_error(a, b) == expected
    assert relative_error(a, b64) == expected == relative_error(a64, b)
    assert isinstance(relative_error(a, b), float)


def test_relative_error_accepts_boolean_masks():
    assert relative_error([True, False], [False, False]) == 1.0
    assert relative_error(np.array([True, True]), [1.0, 0.0]) == \
        pytest.approx(1 / (np.sqrt(2) + 1))


def _tanh_net():
    rng = np.random.default_rng(8)
    return Sequential([Dense(3, 4, rng=rng), Tanh(), Dense(4, 2, rng=rng)])


def test_eps_reaches_every_numerical_gradient():
    rng = np.random.default_rng(80)
    X, Y = rng.standard_normal((4, 3)), rng.uniform(0.1, 0.9, (4, 2))
    fine = gradient_errors(_tanh_net(), MSE(), X, Y)
    coarse = gradient_errors(_tanh_net(), MSE(), X, Y, eps=0.3)
    assert max(fine.values()) < TOL
    # A step of 0.3 makes a truncation error wherever the loss is not
    # quadratic: below the tanh, X included (the last layer's rows are
    # exact, as the MSE of a linear output is quadratic in its W and b).
    for name in ("layers[0].W", "layers[0].b", "X"):
        assert coarse[name] > 1e-5
    assert check_gradients(_tanh_net(), MSE(), X, Y, eps=0.3) == \
        max(coarse.values())
    assert check_gradients(_tanh_net(), MSE(), X, Y) < TOL


@pytest.mark.parametrize("dtype", [np.int64, np.float32])
def test_gradient_errors_checks_x_in_float64(dtype):
    # Integer or float32 data: the check still nudges a float64 copy of X.
    X = np.array([[1, -2, 3], [0, 2, -1]], dtype=dtype)
    Y = np.array([[0.5, -0.5], [1.0, 0.0]])
    errors = gradient_errors(_tanh_net(), MSE(), X, Y)
    assert max(errors.values()) < TOL
    assert errors["X"] < TOL


def test_numerical_gradient_keeps_the_nudge_in_float32():
    dtype = np.float32
    x = np.array([1000.0, 1.0, -3.0], dtype=dtype)    # 1000 + 1e-6 == 1000
    numeric = numerical_gradient(lambda v: float(np.sum(v, dtype=np.float64)), x)
    np.testing.assert_allclose(numeric, 1.0, rtol=1e-12)
    assert x.dtype == dtype and list(x) == [1000.0, 1.0, -3.0]


def test_a_float32_model_passes_the_gradient_check():
    rng = np.random.default_rng(0)
    net = Sequential([Dense(3, 4, rng=1, dtype=np.float32), Tanh(),
                      Dense(4, 2, rng=2, dtype=np.float32)])
    X = rng.standard_normal((6, 3)).astype(np.float32)
    Y = rng.standard_normal((6, 2)).astype(np.float32)
    assert check_gradients(net, MSE(), X, Y) < 1e-3


@pytest.mark.parametrize("eps, exc, message", [
    (0.0, ValueError, r"^eps must be > 0, got 0\.0\.$"),
    (-1e-6, ValueError, r"^eps must be > 0, got -1e-06\.$"),
    (float("nan"), ValueError, r"^eps must be a finite number, got nan\.$"),
    ("1e-6", TypeError, r"^eps must be a number, got '1e-6'\.$"),
    (1e-30, ValueError, r"^eps = 1e-30 is too small to change x\[0\] = 1\.0 in "
                        r"float64: pass a larger eps\.$"),
])
def test_eps_must_be_a_usable_positive_step(eps, exc, message):
    with pytest.raises(exc, match=message):
        numerical_gradient(lambda v: float(v.sum()), np.ones(2), eps=eps)


def test_a_non_finite_function_or_error_is_refused_not_hidden():
    with pytest.raises(ValueError, match=r"^f must stay finite near x, got f = "
                                         r"nan and nan at x\[1\] \+- 1e-06\.$"):
        numerical_gradient(lambda v: float("nan") if v[1] != 2.0 else 0.0,
                           np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"^a and b must be finite"):
        relative_error([1.0, np.nan], [1.0, 0.0])

