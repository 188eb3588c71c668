"""``Tensor``: array reverse mode against finite differences, ``Value`` and
the hand-written backward passes of the engine."""

import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nnbook as nb
from helpers import strict_numerics
from nnbook import Tensor, Value
from nnbook.tensor import _EXP_MAX, _unbroadcast

H = 1e-6


def numeric_grads(f, arrays):
    """Central differences of the float ``f(*arrays)`` in each array."""
    arrays = [a.copy() for a in arrays]
    return [nb.numerical_gradient(lambda _: f(*arrays), a) for a in arrays]


# --- the property test: random expression graphs with broadcasting --------------

def _leaf_shapes(m, n):
    """Shapes that broadcast against (m, n): what a bias or a scale has."""
    return [(m, n), (n,), (m, 1), (1, n), (), (1,)]


UNARY = ["tanh", "sigmoid", "exp", "log", "square", "cube", "relu", "neg",
         "sum", "mean", "T", "reshape", "rsub", "rdiv"]
BINARY = ["+", "-", "*", "/", "@"]


@st.composite
def programs(draw):
    m, n = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    shapes = _leaf_shapes(m, n)
    leaves = draw(st.lists(st.sampled_from(shapes), min_size=2, max_size=3))
    steps = draw(st.lists(
        st.tuples(st.sampled_from(UNARY + BINARY), st.integers(0, 50),
                  st.integers(0, 50), st.sampled_from([None, 0, -1, (0, 1)]),
                  st.booleans()),
        min_size=1, max_size=7))
    seed = draw(st.integers(0, 2**16))
    return leaves, steps, seed


def _axis_for(axis, ndim):
    if axis is None or ndim == 0:
        return None
    if axis == (0, 1):
        return tuple(range(ndim)) if ndim < 2 else (0, 1)
    return axis


def _as_2d(t):
    return t if t.ndim == 2 else t.reshape(1, -1)


def run(program, *leaves, kinks=None):
    """Evaluate the program on Tensors; return the scalar loss Tensor.

    Every node enters the loss with its own fixed random weights, so each
    gets an uneven upstream gradient. ``kinks`` collects the inputs of relu.
    """
    _, steps, seed = program
    rng = np.random.default_rng(seed)
    nodes = list(leaves)
    for op, i, j, axis, keepdims in steps:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if op in BINARY:
            try:
                np.broadcast_shapes(a.shape, b.shape)
            except ValueError:
                b = b.sum()                   # a scalar broadcasts with anything
        if op == "tanh":
            c = a.tanh()
        elif op == "sigmoid":
            c = a.sigmoid()
        elif op == "exp":
            c = a.tanh().exp()                # bounded: no overflow
        elif op == "log":
            c = (a ** 2 + 0.5).log()
        elif op == "square":
            c = a ** 2
        elif op == "cube":
            c = a ** 3
        elif op == "relu":
            if kinks is not None:
                kinks.append(a.data)
            c = a.relu()
        elif op == "neg":
            c = -a
        elif op == "sum":
            c = a.sum(axis=_axis_for(axis, a.ndim), keepdims=keepdims)
        elif op == "mean":
            c = a.mean(axis=_axis_for(axis, a.ndim), keepdims=keepdims)
        elif op == "T":
            c = a.T
        elif op == "reshape":
            c = a.reshape(-1) if keepdims else a.reshape(a.size, 1)
        elif op == "rsub":
            c = 1.5 - a
        elif op == "rdiv":
            c = 2.0 / (a.tanh() + 1.5)
        elif op == "+":
            c = a + b
        elif op == "-":
            c = a - b
        elif op == "*":
            c = a * b
        elif op == "/":
            c = a / (b.tanh() + 1.5)          # denominator in [0.5, 2.5]
        else:                                 # "@", on 2-D views
            a2, b2 = _as_2d(a), _as_2d(b)
            c = a2 @ b2.T if a2.shape[1] == b2.shape[1] else a2 @ a2.T
        nodes.append(c)
    loss = Tensor(0.0)
    for node in nodes:
        loss = loss + (node * rng.uniform(-1, 1, node.shape)).sum()
    return loss


@settings(max_examples=50)
@given(programs())
def test_tensor_gradients_match_finite_differences(program):
    leaf_shapes, _, seed = program
    rng = np.random.default_rng(seed + 1)
    arrays = [rng.uniform(-2, 2, shape) for shape in leaf_shapes]
    leaves = [Tensor(a) for a in arrays]
    kinks = []
    loss = run(program, *leaves, kinks=kinks)
    assume(all(np.abs(k).min() > 1e-3 for k in kinks))   # relu away from 0
    loss.backward()
    numeric = numeric_grads(
        lambda *xs: float(run(program, *[Tensor(x) for x in xs]).data), arrays)
    for leaf, num in zip(leaves, numeric):
        assert leaf.grad.shape == leaf.data.shape
        np.testing.assert_allclose(leaf.grad, num, rtol=1e-5, atol=1e-6)


# --- exact values -----------------------------------------------------------------

def test_micrograd_sanity_check_on_0d_tensors():
    # micrograd's test, whose values come from PyTorch; 0-d tensors act as Values.
    x = Tensor(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert float(y.data) == pytest.approx(-20.0)
    assert float(x.grad) == pytest.approx(46.0)


def test_elementwise_tensor_gives_what_value_gives_element_by_element():
    xs = np.array([[-1.3, 0.4], [2.1, 0.7]])
    ys = np.array([[0.5, -0.2], [1.1, 0.9]])

    def f(x, y):
        return ((x * y).tanh() + (x - y).sigmoid() * 2.0 / (y ** 2 + 1.0)
                + (x * 0.5).exp() - (y ** 2 + 1.0).log() + (x + 0.1).relu())

    x, y = Tensor(xs), Tensor(ys)
    f(x, y).sum().backward()
    for r in range(2):
        for i in range(2):
            a, b = Value(xs[r, i]), Value(ys[r, i])
            out = f(a, b)
            out.backward()
            assert f(Tensor(xs), Tensor(ys)).data[r, i] == pytest.approx(
                out.data, rel=1e-14)
            assert x.grad[r, i] == pytest.approx(a.grad, rel=1e-12)
            assert y.grad[r, i] == pytest.approx(b.grad, rel=1e-12)


def test_broadcast_gradients_are_sums_over_the_broadcast_axes():
    X = Tensor(np.arange(6.0).reshape(2, 3))
    b, col, s = Tensor(np.zeros(3)), Tensor(np.zeros((2, 1))), Tensor(0.0)
    G = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]])
    ((X + b + col + s) * G).sum().backward()
    np.testing.assert_array_equal(X.grad, G)
    np.testing.assert_array_equal(b.grad, [11.0, 22.0, 33.0])
    np.testing.assert_array_equal(col.grad, [[6.0], [60.0]])
    assert s.grad.shape == () and float(s.grad) == 66.0


def test_unbroadcast_keeps_axes_of_length_one_that_were_not_broadcast():
    g = np.arange(6.0).reshape(1, 2, 3)
    np.testing.assert_array_equal(_unbroadcast(g, (1, 2, 3)), g)
    np.testing.assert_array_equal(_unbroadcast(g, (2, 1)), [[3.0], [12.0]])
    np.testing.assert_array_equal(_unbroadcast(g, (1, 3)), [[3.0, 5.0, 7.0]])
    np.testing.assert_array_equal(_unbroadcast(g, ()), 15.0)


def test_matmul_gradients_are_the_layer_formulas():
    rng = np.random.default_rng(0)
    A_, W_, G = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), \
        rng.normal(size=(4, 2))
    A, W = Tensor(A_), Tensor(W_)
    ((A @ W) * G).sum().backward()
    np.testing.assert_allclose(A.grad, G @ W_.T, rtol=1e-14)
    np.testing.assert_allclose(W.grad, A_.T @ G, rtol=1e-14)
    B = Tensor(W_)                             # a constant on the left
    (A_ @ B).sum().backward()
    np.testing.assert_allclose(B.grad, A_.T @ np.ones((4, 2)), rtol=1e-14)


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_and_mean_match_numpy_and_spread_the_gradient(axis, keepdims):
    data = np.arange(6.0).reshape(2, 3)
    t = Tensor(data)
    s = t.sum(axis=axis, keepdims=keepdims)
    m = t.mean(axis=axis, keepdims=keepdims)
    np.testing.assert_array_equal(s.data, data.sum(axis=axis, keepdims=keepdims))
    np.testing.assert_allclose(m.data, data.mean(axis=axis, keepdims=keepdims),
                               rtol=1e-15)
    m.sum().backward()
    n = data.size // np.asarray(data.sum(axis=axis)).size
    np.testing.assert_allclose(t.grad, np.full((2, 3), 1.0 / n), rtol=1e-15)


def test_transpose_and_reshape_move_the_gradient_back():
    data = np.arange(24.0).reshape(2, 3, 4)
    t = Tensor(data)
    G = np.arange(24.0)[::-1].reshape(4, 3, 2)
    assert t.T.shape == (4, 3, 2) and t.reshape(6, 4).shape == (6, 4)
    np.testing.assert_array_equal(t.reshape((4, 6)).data, data.reshape(4, 6))
    (t.T * G).sum().backward()
    np.testing.assert_array_equal(t.grad, G.T)
    (t.reshape(4, -1) * G.reshape(4, 6)).sum().backward()
    np.testing.assert_array_equal(t.grad, G.reshape(2, 3, 4))


def test_pow_rules():
    x = Tensor(np.array([0.0, 2.0, -3.0]))
    (x ** 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 12.0, 27.0])
    (x ** 0).sum().backward()                  # flat, even at 0
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0])
    (x ** 1).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0, 1.0])
    y = Tensor(np.array([4.0, 0.25]))
    (y ** 0.5).sum().backward()
    np.testing.assert_allclose(y.grad, [0.25, 1.0], rtol=1e-15)
    z = Tensor(np.array([0.0, 4.0]))
    root = (z ** 0.5).sum()
    with pytest.raises(ValueError, match=re.escape("infinite at a = 0")):
        root.backward()


def test_derived_operations():
    x = Tensor(np.array([1.0, 2.0]))
    y = Tensor(np.array([4.0, -8.0]))
    for out, dx, dy in [
        (x - y, [1, 1], [-1, -1]), (3.0 - x, [-1, -1], [0, 0]),
        (-x, [-1, -1], [0, 0]), (x / y, [0.25, -0.125], [-1 / 16, -2 / 64]),
        (2.0 / x, [-2.0, -0.5], [0, 0]), (x * 2.0 + 1.0, [2, 2], [0, 0]),
    ]:
        x.grad[:] = 0.0
        y.grad[:] = 0.0
        out.sum().backward()
        np.testing.assert_allclose(x.grad, dx, rtol=1e-15)
        np.testing.assert_allclose(y.grad, dy, rtol=1e-15)


def test_an_ndarray_on_the_left_gives_a_tensor():
    x = Tensor(np.full((2, 2), 4.0))
    for out, value in ((np.ones(2) + x, 5.0), (np.full(2, 3.0) * x, 12.0),
                       (np.ones(2) - x, -3.0), (np.full(2, 2.0) / x, 0.5),
                       (np.ones((2, 2)) @ x, 8.0), (1.0 + x, 5.0)):
        assert isinstance(out, Tensor) and out.shape == (2, 2)
        np.testing.assert_array_equal(out.data, np.full((2, 2), value))


# --- the graph ----------------------------------------------------------------------

def test_a_node_used_twice_accumulates():
    x = Tensor(np.array([3.0, -1.0]))
    (x * x + x).sum().backward()
    np.testing.assert_array_equal(x.grad, [7.0, -1.0])


def test_backward_twice_gives_the_same_gradient():
    rng = np.random.default_rng(1)
    W = Tensor(rng.normal(size=(3, 2)))
    X = Tensor(rng.normal(size=(4, 3)))
    loss = ((X @ W).tanh() ** 2).mean()
    loss.backward()
    first = W.grad.copy()
    loss.backward()
    np.testing.assert_array_equal(W.grad, first)


def test_grad_is_zeros_of_the_data_shape_before_backward():
    t = Tensor(np.ones((2, 3), dtype=np.float32))
    assert t.data.dtype == np.float64 and t.grad.dtype == np.float64
    np.testing.assert_array_equal(t.grad, np.zeros((2, 3)))
    assert t.inputs == () and t.op == "" and t.label == ""
    assert Tensor(1.0, label="w").label == "w"
    for out in (t.sum(), t.mean(), Tensor(2.0).exp(), Tensor(2.0) ** 2):
        assert isinstance(out.data, np.ndarray)    # 0-d arrays, not NumPy scalars
    assert (t + 1.0).op == "+" and (t + 1.0).inputs[0] is t


def test_topological_order_puts_inputs_first_and_each_node_once():
    x = Tensor(1.0)
    y = x * 2.0
    z = y + x
    order = z.topological_order()
    assert order[-1] is z and len(order) == 4
    assert order.index(x) < order.index(y) < order.index(z)


def test_a_long_chain_does_not_hit_the_recursion_limit():
    x = Tensor(np.ones(2))
    y = x
    for _ in range(3000):
        y = y + 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_tensor_copies_its_data_and_operations_leave_inputs_alone():
    a = np.array([1.0, -2.0])
    t = Tensor(a)
    a[0] = 99.0
    assert t.data[0] == 1.0
    before = t.data.copy()
    for out in (t.exp(), t.relu(), t.sigmoid(), t ** 2, t.sum(), t.T):
        out.sum().backward()
    np.testing.assert_array_equal(t.data, before)


def test_relu_has_slope_0_at_0():
    x = Tensor(np.array([-1.0, 0.0, 2.0]))
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0])


def test_extremes_stay_finite_without_warnings():
    x = Tensor(np.array([-1000.0, 0.0, 1000.0]))
    with strict_numerics():
        s = x.sigmoid()
        th = x.tanh()
        (s + th).sum().backward()
        e = (x - 1000.0).exp()
    np.testing.assert_array_equal(s.data, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(x.grad, [0.0, 1.25, 0.0])
    np.testing.assert_array_equal(e.data, [0.0, 0.0, 1.0])


def test_repr():
    assert repr(Tensor(np.array([1.0, 2.5]))) == "Tensor([1. , 2.5])"
    assert repr(Tensor(2.0) * 3.0) == "Tensor(6., op='*')"
    assert repr(Tensor(np.eye(2))) == "Tensor([[1., 0.],\n        [0., 1.]])"


# --- bad input ----------------------------------------------------------------------

@pytest.mark.parametrize("data", [np.array([1, 2]), 3, [True], np.array([1j])])
def test_non_float_data_is_refused(data):
    with pytest.raises(TypeError, match="Tensor needs floating-point data"):
        Tensor(data)


def test_other_bad_data():
    with pytest.raises(ValueError, match=re.escape("got shape (0, 3)")):
        Tensor(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="must be finite"):
        Tensor(np.array([1.0, np.nan]))
    with pytest.raises(TypeError, match="got a Tensor"):
        Tensor(Tensor(1.0))
    with pytest.raises(TypeError, match="floating-point"):
        Tensor(1.0) + np.array([1, 2])


def test_backward_needs_a_single_number():
    t = Tensor(np.ones((2, 3))) * 2.0
    with pytest.raises(ValueError, match=re.escape(
            "backward() needs a tensor of size 1 (a loss), got shape (2, 3)")):
        t.backward()
    one = Tensor(np.ones((1, 1))) * 2.0
    one.backward()                              # size 1, any shape
    np.testing.assert_array_equal(one.grad, [[1.0]])


@pytest.mark.parametrize("k", [Tensor(2.0), np.array(2.0), True, float("nan"), "2"])
def test_the_exponent_must_be_a_number(k):
    with pytest.raises(TypeError, match="exponent of a Tensor must be a finite"):
        Tensor(2.0) ** k


def test_domain_errors():
    with pytest.raises(ValueError, match="no real power 0.5"):
        Tensor(np.array([1.0, -1.0])) ** 0.5
    with pytest.raises(ValueError, match="no negative power"):
        Tensor(np.array([1.0, 0.0])) ** -1
    with pytest.raises(ZeroDivisionError):
        Tensor(1.0) / Tensor(np.array([2.0, 0.0]))
    with pytest.raises(ValueError, match="log needs positive values, got 0"):
        Tensor(np.array([1.0, 0.0])).log()
    with pytest.raises(ValueError, match="exp overflows float64 above 709.78"):
        Tensor(710.0).exp()
    Tensor(709.0).exp()                         # just below: fine
    (Tensor(np.array([-2.0])) ** 2.0).sum().backward()   # whole powers: fine


def test_matmul_shapes():
    with pytest.raises(ValueError, match=re.escape("got shapes (3,) and (3, 2)")):
        Tensor(np.ones(3)) @ Tensor(np.ones((3, 2)))
    with pytest.raises(ValueError, match=re.escape("do not align (3 != 2)")):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3)))


@pytest.mark.parametrize("axis", [2, -3, (0, 0), 1.0, True])
def test_bad_axis(axis):
    with pytest.raises(ValueError, match="axis"):
        Tensor(np.ones((2, 3))).sum(axis=axis)


# --- the engine's hand-written backward passes, recomputed by autodiff -------------

def test_digits_mlp_gradients_equal_sequential():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 5))
    y = rng.integers(0, 4, size=8)
    model = nb.Sequential([nb.Dense(5, 6, rng=1), nb.ReLU(), nb.Dense(6, 4, rng=2)])
    loss = nb.CrossEntropy()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())

    W1, b1, W2, b2 = (Tensor(p) for p in model.parameters())
    Z = (Tensor(X) @ W1 + b1).relu() @ W2 + b2
    shifted = Z - Z.data.max(axis=1, keepdims=True)      # a constant
    log_p = shifted - shifted.exp().sum(axis=1, keepdims=True).log()
    L = -(log_p * np.eye(4)[y]).sum(axis=1).mean()
    L.backward()
    assert float(L.data) == pytest.approx(loss.forward(model.forward(X), y),
                                          rel=1e-13)
    for t, g in zip((W1, b1, W2, b2), model.gradients()):
        np.testing.assert_allclose(t.grad, g, rtol=1e-11, atol=1e-14)


def test_batch_norm_gradients_equal_nb_batchnorm():
    rng = np.random.default_rng(3)
    X_ = rng.normal(2.0, 3.0, size=(6, 4))
    G = rng.normal(size=(6, 4))
    bn = nb.BatchNorm(4)
    bn.gamma[:] = rng.normal(size=4)
    bn.beta[:] = rng.normal(size=4)
    out = bn.forward(X_)
    dX = bn.backward(G)

    X, gamma, beta = Tensor(X_), Tensor(bn.gamma), Tensor(bn.beta)
    mu = X.mean(axis=0, keepdims=True)
    var = ((X - mu) ** 2).mean(axis=0, keepdims=True)
    Y = gamma * (X - mu) / (var + bn.eps) ** 0.5 + beta
    (Y * G).sum().backward()
    np.testing.assert_allclose(Y.data, out, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(X.grad, dX, rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(gamma.grad, bn.dgamma, rtol=1e-12)
    np.testing.assert_allclose(beta.grad, bn.dbeta, rtol=1e-12)


def test_numbers_and_arrays_are_constants_without_gradient():
    x = Tensor(np.array([1.0, 2.0]))
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    out = (X @ x.reshape(2, 1)).sum() + (x * np.array([2.0, 3.0])).sum() * 2.0
    out.backward()
    np.testing.assert_array_equal(x.grad, [4.0 + 4.0, 6.0 + 6.0])
    constants = [v for v in out.topological_order() if v._constant]
    assert len(constants) == 3 and not any(c.grad.any() for c in constants)
    assert all(c.op == "" and c.label == "" and c.inputs == () for c in constants)
    y = x + [1.0, 2.5]                          # a list: checked, then a constant
    np.testing.assert_array_equal(y.data, [2.0, 4.5])
    assert not x._constant and not Tensor(X)._constant


# --- every error message, word for word ----------------------------------------------

def _pow_slope_at_zero():
    (Tensor(np.array([0.0, 4.0])) ** 0.5).sum().backward()


MESSAGES = [
    (lambda: Tensor(2.0) ** Tensor(2.0), TypeError,
     "the exponent of a Tensor must be a finite number, got Tensor(2.)."),
    (lambda: Tensor(np.array([1.0, -1.5])) ** 0.5, ValueError,
     "a negative number has no real power 0.5: the tensor holds -1.5."),
    (lambda: Tensor(np.array([1.0, 0.0])) ** -2, ValueError,
     "0 has no negative power: got 0.0 ** -2."),
    (_pow_slope_at_zero, ValueError, "the slope of a ** 0.5 is infinite at a = 0."),
    (lambda: Tensor(np.array([1.0, 800.0])).exp(), ValueError,
     "exp overflows float64 above 709.78, got 800: subtract the maximum first "
     "(as softmax does)."),
    (lambda: Tensor(np.array([1.0, -0.25])).log(), ValueError,
     "log needs positive values, got -0.25."),
    (lambda: Tensor(1.0) / 0.0, ZeroDivisionError, "division of a Tensor by 0."),
    (lambda: (Tensor(np.ones((2, 3))) * 1.0).backward(), ValueError,
     "backward() needs a tensor of size 1 (a loss), got shape (2, 3): reduce it "
     "first, e.g. with .sum() or .mean()."),
    (lambda: Tensor(Tensor(1.0)), TypeError,
     "Tensor(data) takes an array, got a Tensor: use it as it is, or "
     "Tensor(t.data) for a new leaf."),
    (lambda: Tensor(np.array([1, 2], dtype=np.int64)), TypeError,
     "Tensor needs floating-point data, got dtype int64: write "
     "np.asarray(x, dtype=float) (or 3.0 instead of 3)."),
    (lambda: Tensor(np.zeros((0, 3))), ValueError,
     "Tensor needs at least one element, got shape (0, 3)."),
    (lambda: Tensor(np.array([np.inf])), ValueError,
     "Tensor data must be finite, got NaN or infinity."),
    (lambda: Tensor(np.ones((2, 3))).sum(axis=2), ValueError,
     "axis must be an int in [-2, 2) or a tuple of them for a 2-D tensor, got 2."),
    (lambda: Tensor(np.ones((2, 3))).mean(axis=(1, -1)), ValueError,
     "axis names an axis twice: (1, -1)."),
    (lambda: Tensor(np.ones((2, 3, 1))) @ Tensor(np.ones((3, 2))), ValueError,
     "Tensor @ needs two 2-D tensors, got shapes (2, 3, 1) and (3, 2)."),
    (lambda: Tensor(np.ones((2, 3))) @ np.ones((2, 4)), ValueError,
     "Tensor @: shapes (2, 3) and (2, 4) do not align (3 != 2)."),
]


@pytest.mark.parametrize("make, exc, message", MESSAGES,
                         ids=[m[2][:30] for m in MESSAGES])
def test_error_messages_word_for_word(make, exc, message):
    with pytest.raises(exc, match=rf"^{re.escape(message)}$"):
        make()


@pytest.mark.parametrize("axis", [-1, -2, 0, 1, (-1, 0)])
def test_axes_at_both_ends_of_the_range(axis):
    data = np.arange(6.0).reshape(2, 3)
    t = Tensor(data)
    s = t.sum(axis=axis)
    np.testing.assert_array_equal(s.data, data.sum(axis=axis))
    s.sum().backward()
    np.testing.assert_array_equal(t.grad, np.ones((2, 3)))


def test_exp_and_log_at_their_limits():
    np.testing.assert_allclose(Tensor(_EXP_MAX).exp().data, np.finfo(float).max,
                               rtol=1e-12)
    assert float(Tensor(np.array([1e-300])).log().data[0]) == pytest.approx(
        np.log(1e-300))
    x = Tensor(np.array([0.5, 2.0]))
    x.log().sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 0.5])
    x.exp().sum().backward()
    np.testing.assert_array_equal(x.grad, np.exp([0.5, 2.0]))


def test_every_operation_names_itself():
    x = Tensor(np.array([[1.0, 2.0]]))
    ops = {"+": x + x, "*": x * x, "**2": x ** 2, "@": x @ x.T, "sum": x.sum(),
           "exp": x.exp(), "log": x.log(), "tanh": x.tanh(),
           "sigmoid": x.sigmoid(), "relu": x.relu(), "T": x.T,
           "reshape": x.reshape(2)}
    for op, out in ops.items():
        assert out.op == op and out.inputs[0] is x


def test_every_rule_adds_to_what_is_already_there():
    # Each input is used twice: once through the operation under test and
    # once directly, so a rule that overwrote grad instead of adding to it
    # would lose the direct contribution (1 per element).
    rng = np.random.default_rng(4)
    A_, W_ = rng.uniform(0.5, 2.0, (2, 3)), rng.uniform(0.5, 2.0, (3, 2))
    cases = {
        "@": (lambda a, w: a @ w, lambda a, w: (np.ones((2, 2)) @ w.T,
                                                 a.T @ np.ones((2, 2)))),
        "+": (lambda a, w: a + w.T, lambda a, w: (np.ones((2, 3)),
                                                   np.ones((3, 2)))),
        "*": (lambda a, w: a * w.T, lambda a, w: (w.T, a.T)),
    }
    for op, (f, grads) in cases.items():
        A, W = Tensor(A_), Tensor(W_)
        (f(A, W).sum() + A.sum() + W.sum()).backward()
        dA, dW = grads(A_, W_)
        np.testing.assert_allclose(A.grad, dA + 1.0, rtol=1e-14, err_msg=op)
        np.testing.assert_allclose(W.grad, dW + 1.0, rtol=1e-14, err_msg=op)
    unary = {
        "**3": (lambda a: a ** 3, lambda a: 3 * a ** 2),
        "exp": (lambda a: a.exp(), np.exp),
        "log": (lambda a: a.log(), lambda a: 1 / a),
        "tanh": (lambda a: a.tanh(), lambda a: 1 - np.tanh(a) ** 2),
        "sigmoid": (lambda a: a.sigmoid(),
                    lambda a: np.exp(-a) / (1 + np.exp(-a)) ** 2),
        "relu": (lambda a: a.relu(), lambda a: np.ones_like(a)),
        "sum": (lambda a: a.sum(axis=0), lambda a: np.ones_like(a)),
        "T": (lambda a: a.T, lambda a: np.ones_like(a)),
        "reshape": (lambda a: a.reshape(6), lambda a: np.ones_like(a)),
    }
    for op, (f, df) in unary.items():
        A = Tensor(A_)
        (f(A).sum() + A.sum()).backward()
        np.testing.assert_allclose(A.grad, df(A_) + 1.0, rtol=1e-13, err_msg=op)
