"""``Value``: scalar reverse mode against hand derivatives and finite differences."""

import math
import re
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnbook import Value

H = 1e-6


def numeric_derivatives(f, *xs):
    """Central differences of ``f(*Values).data`` in each argument."""
    grads = []
    for i in range(len(xs)):
        up = [Value(x + H * (j == i)) for j, x in enumerate(xs)]
        down = [Value(x - H * (j == i)) for j, x in enumerate(xs)]
        grads.append((f(*up).data - f(*down).data) / (2 * H))
    return grads


def backprop(f, *xs):
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out, [leaf.grad for leaf in leaves]


# --- micrograd's own sanity checks (its values come from PyTorch) ----------------

def test_micrograd_sanity_check():
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == pytest.approx(-20.0)
    assert x.grad == pytest.approx(46.0)


def test_micrograd_more_ops():
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == pytest.approx(24.70408163265306, rel=1e-12)
    assert a.grad == pytest.approx(138.83381924198252, rel=1e-12)
    assert b.grad == pytest.approx(645.5772594752186, rel=1e-12)


# --- operators with a number on either side --------------------------------------

V = 1.5
OPERATORS = {
    "v + 2": (lambda v: v + 2, V + 2, 1.0),
    "2 + v": (lambda v: 2 + v, 2 + V, 1.0),
    "v - 2": (lambda v: v - 2, V - 2, 1.0),
    "2 - v": (lambda v: 2 - v, 2 - V, -1.0),
    "v * 2": (lambda v: v * 2, V * 2, 2.0),
    "2 * v": (lambda v: 2 * v, 2 * V, 2.0),
    "v / 2": (lambda v: v / 2, V / 2, 0.5),
    "2 / v": (lambda v: 2 / v, 2 / V, -2 / V**2),
    "v ** 3": (lambda v: v**3, V**3, 3 * V**2),
    "v ** -0.5": (lambda v: v**-0.5, V**-0.5, -0.5 * V**-1.5),
    "2 ** v": (lambda v: 2**v, 2**V, math.log(2) * 2**V),
    "-v": (lambda v: -v, -V, -1.0),
    "v * v": (lambda v: v * v, V * V, 2 * V),
    "v - v": (lambda v: v - v, 0.0, 0.0),
    "v / v": (lambda v: v / v, 1.0, 0.0),
}


@pytest.mark.parametrize("name", OPERATORS)
def test_operators(name):
    f, value, derivative = OPERATORS[name]
    out, (grad,) = backprop(f, V)
    assert isinstance(out, Value)
    assert out.data == pytest.approx(value, rel=1e-14, abs=1e-15)
    assert grad == pytest.approx(derivative, rel=1e-12, abs=1e-15)
    assert grad == pytest.approx(numeric_derivatives(f, V)[0], rel=1e-7, abs=1e-9)


FUNCTIONS = {
    "exp": (lambda v: v.exp(), math.exp, math.exp),
    "log": (lambda v: v.log(), math.log, lambda x: 1 / x),
    "tanh": (lambda v: v.tanh(), math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    "sigmoid": (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)),
                lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    "relu": (lambda v: v.relu(), lambda x: max(x, 0.0), lambda x: float(x > 0)),
}


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("x", [0.3, 1.7, 4.0])
def test_functions_at_positive_points(name, x):
    f, value, derivative = FUNCTIONS[name]
    out, (grad,) = backprop(f, x)
    assert out.data == pytest.approx(value(x), rel=1e-14)
    assert grad == pytest.approx(derivative(x), rel=1e-12)
    assert grad == pytest.approx(numeric_derivatives(f, x)[0], rel=1e-7)


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "relu"])
@pytest.mark.parametrize("x", [-2.5, -0.2])
def test_functions_at_negative_points(name, x):
    f, value, derivative = FUNCTIONS[name]
    out, (grad,) = backprop(f, x)
    assert out.data == pytest.approx(value(x), rel=1e-14, abs=0)
    assert grad == pytest.approx(derivative(x), rel=1e-12, abs=0)


@settings(max_examples=40)
@given(a=st.floats(0.2, 3.0), b=st.floats(-2.0, 2.0), c=st.floats(0.5, 2.0))
def test_composite_expressions_against_finite_differences(a, b, c):
    assume(abs(b - c) > 1e-3)                 # away from the kink of relu
    def f(a, b, c):
        u = (a * b + a.exp() / c).tanh()
        w = (a**2 + 1).log() * b.sigmoid() - 3 / (c + a)
        return u * w + (b - c).relu() * 0.5 + 2**(b / 4) - a * a * c

    out, grads = backprop(f, a, b, c)
    assert math.isfinite(out.data)
    for analytic, numeric in zip(grads, numeric_derivatives(f, a, b, c)):
        assert analytic == pytest.approx(numeric, rel=1e-6, abs=1e-7)


# --- how gradients accumulate ------------------------------------------------------

def test_gradients_add_at_fan_out():
    x = Value(3.0)
    y = x * x + x
    y.backward()
    assert y.data == 12.0
    assert x.grad == 2 * 3.0 + 1


def test_backward_twice_gives_the_same_gradients():
    a, b = Value(2.0), Value(-3.0)
    out = (a * b + a).tanh() * a
    out.backward()
    first = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == first
    assert out.grad == 1.0


def test_a_new_graph_sharing_leaves_starts_from_zero():
    x = Value(2.0)
    (x * x).backward()
    assert x.grad == 4.0
    (x * 3).backward()
    assert x.grad == 3.0                 # not 4 + 3
    w = Value(5.0)
    first = w * x
    first.backward()
    second = first + w                   # a graph containing the first one
    second.backward()
    assert w.grad == 2.0 + 1.0 and x.grad == 5.0


def test_a_sum_of_5000_terms_does_not_hit_the_recursion_limit():
    n = 5000
    xs = [Value(float(i)) for i in range(n)]
    total = sum(x * 2 for x in xs)       # a chain 5000 additions deep
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)          # Python's default, well below 5000
    try:
        total.backward()
    finally:
        sys.setrecursionlimit(limit)
    assert total.data == 2 * sum(range(n))
    assert all(x.grad == 2.0 for x in xs)


def test_a_chain_of_10000_operations():
    x = Value(1.0)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001**10_000, rel=1e-9)


def test_topological_order_puts_inputs_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = e.topological_order()
    assert len(order) == len({id(v) for v in order}) == 5   # each node once
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for child in v.inputs:
            assert position[id(child)] < position[id(v)]
    assert order[-1] is e


# --- bad input and extremes -----------------------------------------------------------

@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_of_a_non_positive_value(x):
    with pytest.raises(ValueError, match=rf"positive.*{x}"):
        Value(x).log()


@pytest.mark.parametrize("bad", ["a", None, [1.0], True, 1 + 2j])
def test_value_of_a_non_number(bad):
    with pytest.raises(TypeError, match="real number"):
        Value(bad)


def test_a_value_exponent_is_refused():
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** Value(3.0)


@pytest.mark.parametrize("base", [0, -2.0])
def test_a_non_positive_base_is_refused(base):
    with pytest.raises(ValueError, match="base > 0"):
        base ** Value(1.5)


@pytest.mark.parametrize("x, expected", [(1000.0, 1.0), (-1000.0, 0.0)])
def test_sigmoid_at_plus_minus_1000(x, expected):
    v = Value(x)
    out = v.sigmoid()
    out.backward()
    assert out.data == expected
    assert math.isfinite(v.grad) and v.grad == 0.0


def test_data_grad_label_op_and_repr():
    a = Value(2, label="a")
    assert isinstance(a.data, float) and a.data == 2.0 and a.grad == 0.0
    assert a.label == "a" and a.op == "" and a.inputs == ()
    b = a * 3
    assert b.op == "*" and b.inputs[0] is a and b.inputs[1].data == 3.0
    assert (a + 1).op == "+" and a.exp().op == "exp" and a.tanh().op == "tanh"
    b.backward()
    assert "data=6" in repr(b) and "grad=1" in repr(b)
    assert "data=2" in repr(a) and "grad=3" in repr(a)


# --- the graph a drawing shows: op labels, inputs, fan-out, kinks ---------------------

def test_every_operation_records_its_op_and_its_input():
    a = Value(0.5)
    for out, op in ((a.log(), "log"), (a.tanh(), "tanh"), (a.exp(), "exp"),
                    (a.sigmoid(), "sigmoid"), (a.relu(), "relu"),
                    (a ** 3, "**3"), (a ** -0.5, "**-0.5")):
        assert out.op == op
        assert len(out.inputs) == 1 and out.inputs[0] is a
        assert out.label == ""


def test_a_new_value_has_an_empty_label_and_a_backward_that_does_nothing():
    v = Value(1.5)
    assert v.label == "" and v.op == "" and v.inputs == ()
    assert v._backward() is None
    v.backward()
    assert v.grad == 1.0


def test_negation_is_one_multiplication_by_minus_one():
    a = Value(2.0)
    out = -a
    assert out.op == "*" and out.data == -2.0
    assert out.inputs[0] is a
    assert out.inputs[1].data == -1.0 and out.inputs[1].op == ""


@pytest.mark.parametrize("name", ["exp", "log", "tanh", "sigmoid", "relu"])
def test_a_function_inside_a_graph_scales_by_the_gradient_from_above(name):
    # out.grad is 3 here, not 1: the local rule must multiply by it, once.
    f, _, derivative = FUNCTIONS[name]
    x = 0.7
    out, (grad,) = backprop(lambda v: f(v) * 3.0, x)
    assert grad == pytest.approx(3.0 * derivative(x), rel=1e-12)


@pytest.mark.parametrize("name", ["exp", "log", "tanh", "sigmoid", "relu"])
def test_a_function_used_twice_adds_both_contributions(name):
    f, _, derivative = FUNCTIONS[name]
    x = 0.7
    out, (grad,) = backprop(lambda v: f(v) + f(v), x)
    assert grad == pytest.approx(2.0 * derivative(x), rel=1e-12)
    out, (grad,) = backprop(lambda v: v * 2.0 + f(v), x)  # another op first
    assert grad == pytest.approx(2.0 + derivative(x), rel=1e-12)


def test_relu_takes_the_kink_at_zero_as_flat():
    out, (grad,) = backprop(lambda v: v.relu(), 0.0)
    assert out.data == 0.0 and grad == 0.0


@pytest.mark.parametrize("x", [0.0006, 0.25, 0.5, 0.999])
def test_sigmoid_of_a_non_negative_value_is_one_over_one_plus_exp(x):
    # For x >= 0 the form 1 / (1 + e^-x) is used (e^-x <= 1 cannot
    # overflow); e^x / (1 + e^x) differs from it in the last bit here.
    assert Value(x).sigmoid().data == 1 / (1 + math.exp(-x))


@pytest.mark.parametrize("base, x", [(0.5, 2.0), (1, 3.0), (1e-3, 0.5)])
def test_any_positive_base_can_be_raised_to_a_value(base, x):
    out, (grad,) = backprop(lambda v: base ** v, x)
    assert out.data == pytest.approx(base ** x, rel=1e-14)
    assert grad == pytest.approx(math.log(base) * base ** x, rel=1e-12,
                                 abs=1e-15)



def test_x_to_the_power_0_at_0_has_slope_0():
    a = Value(0.0)
    out = a ** 0
    out.backward()
    assert (out.data, a.grad) == (1.0, 0.0)
    b = Value(0.0)
    (b ** 2).backward()
    assert b.grad == 0.0                           # 2 * 0 ** 1, no division
    for k, slope in ((1, 1.0), (1.5, 0.0)):        # finite slopes at 0
        c = Value(0.0)
        (c ** k).backward()
        assert c.grad == slope


@pytest.mark.parametrize("make, exc, message", [
    (lambda: Value(float("nan")), ValueError, "Value holds a finite number, got nan."),
    (lambda: Value(float("-inf")), ValueError, "Value holds a finite number, got -inf."),
    (lambda: Value(-8.0) ** 0.5, ValueError,
     "a negative number has no real power 0.5: got (-8.0) ** 0.5."),
    (lambda: Value(0.0) ** -2, ValueError, "0 has no negative power: got 0.0 ** -2."),
    (lambda: Value(2.0) ** float("inf"), TypeError,
     "the exponent of a Value must be a finite number, got inf."),
    (lambda: Value(2.0) ** True, TypeError,
     "the exponent of a Value must be a finite number, got True."),
    (lambda: Value(1.0) / 0, ZeroDivisionError,
     "division of Value(data=1, grad=0) by 0."),
])
def test_values_without_a_real_finite_answer_are_refused(make, exc, message):
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        make()


def test_the_infinite_slope_of_a_root_at_0_is_refused_in_backward():
    a = Value(0.0)
    out = a ** 0.5
    assert out.data == 0.0
    with pytest.raises(ValueError, match=r"^the slope of a \*\* 0\.5 is infinite at a = 0\.$"):
        out.backward()
    assert (Value(-2.0) ** 3).data == -8.0          # whole powers of negatives
