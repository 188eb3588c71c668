"""``Value``: a scalar that remembers how it was computed (reverse mode).

Every operation makes a new ``Value`` that records its inputs and a
``_backward`` that adds ``(d out / d input) * out.grad`` to each input's ``grad``.
"""

import math
import numbers


class Value:
    """A scalar node of a computational graph.

    Parameters
    ----------
    data : float
    label : str, optional
        A name to show in drawings of the graph.

    Attributes
    ----------
    data : float
    grad : float
        ``dL/d(this value)`` after ``L.backward()`` (0.0 before).
    inputs : tuple of Value
        What it was computed from (empty for a leaf).
    op : str
        The operation that made it ("+", "exp", ...; "" for a leaf).

    Notes
    -----
    ``+ - * /`` combine Values and numbers on either side; ``v ** k`` takes
    a number ``k`` (whole if ``v < 0``), ``c ** v`` a number ``c > 0``.
    ``data`` is always finite.
    """

    def __init__(self, data, label="", _inputs=(), _op=""):
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise TypeError(f"Value holds a real number, got {data!r}.")
        if not math.isfinite(data):
            raise ValueError(f"Value holds a finite number, got {data}.")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.inputs = tuple(_inputs)
        self.op = _op
        self._backward = lambda: None

    # --- operations: the forward value and, beside it, the local rule ---

    def __add__(self, other):
        other = _as_value(other)
        out = Value(self.data + other.data, _inputs=(self, other), _op="+")

        def _backward():                      # d(a + b)/da = d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _as_value(other)
        out = Value(self.data * other.data, _inputs=(self, other), _op="*")

        def _backward():                      # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        if isinstance(k, (Value, bool)) or not isinstance(k, numbers.Real) \
                or not math.isfinite(k):
            raise TypeError(f"the exponent of a Value must be a finite number, "
                            f"got {k!r}.")
        a = self.data
        if a < 0 and k != int(k):
            raise ValueError(f"a negative number has no real power {k}: "
                             f"got ({a}) ** {k}.")
        if a == 0 and k < 0:
            raise ValueError(f"0 has no negative power: got 0.0 ** {k}.")
        out = Value(a ** k, _inputs=(self,), _op=f"**{k}")

        def _backward():                      # d(a^k)/da = k a^(k-1)
            if k == 0:
                return                        # a^0 = 1 is flat, even at 0
            if a == 0 and k < 1:
                raise ValueError(f"the slope of a ** {k} is infinite at a = 0.")
            self.grad += k * a ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def __rpow__(self, base):
        """``base ** self`` for a number ``base > 0``, as ``exp(self ln base)``."""
        if isinstance(base, bool) or not isinstance(base, numbers.Real) or base <= 0:
            raise ValueError(f"a number raised to a Value needs a base > 0, "
                             f"got {base!r}.")
        return (self * math.log(base)).exp()

    def exp(self):
        """``exp(a)``; its local derivative is ``exp(a)``."""
        out = Value(math.exp(self.data), _inputs=(self,), _op="exp")

        def _backward():                      # d(e^a)/da = e^a
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        """Natural logarithm ``ln(a)`` for ``a > 0``; derivative ``1 / a``."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive value, got {self.data}.")
        out = Value(math.log(self.data), _inputs=(self,), _op="log")

        def _backward():                      # d(ln a)/da = 1/a
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def tanh(self):
        """``tanh(a)``; its local derivative is ``1 - tanh(a)**2``."""
        out = Value(math.tanh(self.data), _inputs=(self,), _op="tanh")

        def _backward():                      # d(tanh a)/da = 1 - tanh^2 a
            self.grad += (1.0 - out.data ** 2) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        """``1 / (1 + exp(-a))``; derivative ``sigmoid(a) (1 - sigmoid(a))``."""
        x = self.data                         # two forms: no exp overflows
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        out = Value(s, _inputs=(self,), _op="sigmoid")

        def _backward():                      # d(sigma)/da = sigma (1 - sigma)
            self.grad += out.data * (1.0 - out.data) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """``max(a, 0)``; derivative 1 where ``a > 0``, else 0."""
        out = Value(max(self.data, 0.0), _inputs=(self,), _op="relu")

        def _backward():                      # 1 where a > 0, else 0
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # --- derived operations: built from the ones above, no rule of their own ---

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-_as_value(other))

    def __truediv__(self, other):
        other = _as_value(other)
        if other.data == 0:
            raise ZeroDivisionError(f"division of {self!r} by 0.")
        return self * other ** -1

    __radd__ = __add__                        # b + a = a + b
    __rmul__ = __mul__                        # b * a = a * b

    def __rsub__(self, other):
        return _as_value(other) - self

    def __rtruediv__(self, other):
        return _as_value(other) / self

    # --- the backward pass ---

    def topological_order(self):
        """Every node this value depends on, each after all of its inputs (a
        depth-first search on a stack: a long chain hits no recursion limit)."""
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            v, inputs_done = stack.pop()
            if inputs_done:
                order.append(v)               # all of v's inputs are placed
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((child, False) for child in v.inputs)
        return order

    def backward(self):
        """Fill ``grad`` of every node with ``d self / d node``.

        All gradients start from 0, so a second call (or a new graph sharing
        leaves) finds no stale gradient; within the pass they *add*: a value
        used twice collects a contribution from each use.
        """
        order = self.topological_order()
        for v in order:
            v.grad = 0.0
        self.grad = 1.0
        for v in reversed(order):
            v._backward()

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"


def _as_value(x):
    return x if isinstance(x, Value) else Value(x)
