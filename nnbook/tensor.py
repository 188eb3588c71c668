"""``Tensor``: ``Value`` grown to arrays (reverse-mode automatic differentiation).

The same idea as :class:`nnbook.Value`, one array per node instead of one
number. Every operation makes a new ``Tensor`` that records its inputs and a
small function, ``_backward``, that applies the chain rule for that one
operation: it adds the vector-Jacobian product ``grad_out`` times
``d out / d input`` to each input's ``grad``, an array shaped like the input.
``backward()`` visits the graph from the output back to the leaves.

Two things are new compared with scalars:

- **Broadcasting.** ``X + b`` with ``X`` of shape ``(B, n)`` and ``b`` of
  shape ``(n,)`` uses every element of ``b`` in ``B`` places, so the gradient
  of ``b`` is the *sum* of ``grad_out`` over the broadcast axes
  (``_unbroadcast``).
- **Reductions and matrix products.** ``sum`` copies ``grad_out`` back to
  every element it added up; ``A @ W`` sends ``grad_out @ W.T`` to ``A`` and
  ``A.T @ grad_out`` to ``W``.
"""

import numbers

import numpy as np

# exp overflows float64 above log(largest float64) = 709.78...
_EXP_MAX = float(np.log(np.finfo(np.float64).max))
_FLOAT64 = np.dtype(np.float64)         # NumPy's float64 arrays share this object


class Tensor:
    """An array node of a computational graph.

    Parameters
    ----------
    data : array_like of float
        Floating-point data of any shape with at least one element; stored
        as a float64 ``ndarray``. Integer, boolean and complex data raise
        ``TypeError`` (write ``np.asarray(x, dtype=float)`` or ``3.0``).
    label : str, optional
        A name to show when printing.

    Attributes
    ----------
    data : ndarray of float64
    grad : ndarray of float64, shaped like ``data``
        ``dL/d(this tensor)`` after ``L.backward()``; zeros before.
    inputs : tuple of Tensor
        The tensors this one was computed from (empty for a leaf).
    op : str
        The operation that made it ("+", "*", "@", "sum", ...; "" for a leaf).

    Notes
    -----
    ``+``, ``-``, ``*`` and ``/`` combine two tensors, or a tensor and a number
    or array, on either side, with NumPy broadcasting; ``t ** k`` takes a
    number ``k``; ``@`` multiplies two 2-D tensors. Subtraction, division,
    negation and ``mean`` are built from ``+``, ``*``, ``**`` and ``sum``, so
    they need no backward rule of their own.
    """

    __array_ufunc__ = None      # ndarray + Tensor calls Tensor.__radd__
    _constant = False      # True for numbers and arrays mixed in

    def __init__(self, data, label="", _inputs=(), _op=""):
        if not _inputs:                      # a leaf: check what the user gave
            data = _leaf_array(data)
        elif not isinstance(data, np.ndarray):
            data = np.asarray(data)           # NumPy returns 0-d results as scalars
        self.data = data
        self.grad = np.zeros(data.shape)
        self.label = label
        self.inputs = _inputs
        self.op = _op
        self._backward = _no_backward

    # --- operations: the forward value and, beside it, the local rule ---

    def __add__(self, other):
        other = _as_tensor(other)
        out = Tensor(self.data + other.data, _inputs=(self, other), _op="+")

        def _backward(grad_out):  # d(a + b)/da = d(a + b)/db = 1
            self.grad += _unbroadcast(grad_out, self.data.shape)
            if not other._constant:            # a number or array: no gradient
                other.grad += _unbroadcast(grad_out, other.data.shape)
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _as_tensor(other)
        out = Tensor(self.data * other.data, _inputs=(self, other), _op="*")

        def _backward(grad_out):  # d(ab)/da = b, d(ab)/db = a
            self.grad += _unbroadcast(other.data * grad_out, self.data.shape)
            if not other._constant:            # a number or array: no gradient
                other.grad += _unbroadcast(self.data * grad_out,
                                           other.data.shape)
        out._backward = _backward
        return out

    def __pow__(self, k):
        if isinstance(k, (Tensor, bool)) or not isinstance(k, numbers.Real) \
                or not np.isfinite(k):
            raise TypeError(
                f"the exponent of a Tensor must be a finite number, got {k!r}."
            )
        a = self.data
        if k != int(k) and (a < 0).any():
            raise ValueError(f"a negative number has no real power {k}: "
                             f"the tensor holds {a.min()}.")
        if k < 0 and (a == 0).any():
            raise ValueError(f"0 has no negative power: got 0.0 ** {k}.")
        out = Tensor(a ** k, _inputs=(self,), _op=f"**{k}")

        def _backward(grad_out):  # d(a^k)/da = k a^(k-1)
            if k == 0:
                return                        # a^0 = 1 is flat, even at 0
            if k < 1 and (a == 0).any():
                raise ValueError(f"the slope of a ** {k} is infinite at "
                                 f"a = 0.")
            self.grad += k * a ** (k - 1) * grad_out
        out._backward = _backward
        return out

    def __matmul__(self, other):
        other = _as_tensor(other)
        _check_matmul(self.data, other.data)
        out = Tensor(self.data @ other.data, _inputs=(self, other), _op="@")

        def _backward(grad_out):  # dA = grad_out W^T, dW = A^T grad_out
            if not self._constant:             # X @ W with X an array of data
                self.grad += grad_out @ other.data.T
            if not other._constant:
                other.grad += self.data.T @ grad_out
        out._backward = _backward
        return out

    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (an int, a tuple of ints, or None for all).

        Every input element adds into one output element with slope 1, so
        the backward pass copies ``grad_out`` back along the summed axes.
        """
        axes = _normalize_axis(axis, self.data.ndim)
        out = Tensor(self.data.sum(axis=axes, keepdims=keepdims),
                     _inputs=(self,), _op="sum")
        if keepdims:                          # out already has that shape
            kept = out.data.shape
        else:
            kept = tuple(1 if i in axes else n
                         for i, n in enumerate(self.data.shape))

        def _backward(grad_out):  # d(sum)/da_i = 1 for every i
            self.grad += grad_out.reshape(kept)   # broadcasts over the axes
        out._backward = _backward
        return out

    def exp(self):
        """``exp(a)``, elementwise; its local derivative is ``exp(a)``."""
        if self.data.max() > _EXP_MAX:
            raise ValueError(
                f"exp overflows float64 above {_EXP_MAX:.2f}, got "
                f"{self.data.max():.4g}: subtract the maximum first "
                f"(as softmax does)."
            )
        e = np.exp(self.data)
        out = Tensor(e, _inputs=(self,), _op="exp")

        def _backward(grad_out):  # d(e^a)/da = e^a
            self.grad += e * grad_out
        out._backward = _backward
        return out

    def log(self):
        """Natural logarithm ``ln(a)`` for ``a > 0``; derivative ``1 / a``."""
        if (self.data <= 0).any():
            raise ValueError(
                f"log needs positive values, got {self.data.min():.4g}."
            )
        out = Tensor(np.log(self.data), _inputs=(self,), _op="log")

        def _backward(grad_out):  # d(ln a)/da = 1/a
            self.grad += grad_out / self.data
        out._backward = _backward
        return out

    def tanh(self):
        """``tanh(a)``, elementwise; derivative ``1 - tanh(a)**2``."""
        t = np.tanh(self.data)
        out = Tensor(t, _inputs=(self,), _op="tanh")

        def _backward(grad_out):  # d(tanh a)/da = 1 - tanh^2 a
            self.grad += (1.0 - t * t) * grad_out
        out._backward = _backward
        return out

    def sigmoid(self):
        """``1 / (1 + exp(-a))``; derivative ``sigmoid(a) (1 - sigmoid(a))``."""
        s = np.exp(-np.logaddexp(0.0, -self.data))   # never overflows
        out = Tensor(s, _inputs=(self,), _op="sigmoid")

        def _backward(grad_out):  # d(sigma)/da = sigma (1 - sigma)
            self.grad += s * (1.0 - s) * grad_out
        out._backward = _backward
        return out

    def relu(self):
        """``max(a, 0)``, elementwise; derivative 1 where ``a > 0``, else 0."""
        out = Tensor(np.maximum(self.data, 0.0), _inputs=(self,), _op="relu")

        def _backward(grad_out):  # 1 where a > 0, else 0
            self.grad += (self.data > 0) * grad_out
        out._backward = _backward
        return out

    @property
    def T(self):
        """The transpose (axes reversed); its backward transposes back."""
        out = Tensor(self.data.T, _inputs=(self,), _op="T")

        def _backward(grad_out):  # each element only moves
            self.grad += grad_out.T
        out._backward = _backward
        return out

    def reshape(self, *shape):
        """The same elements in a new shape: ``t.reshape(2, 3)`` or
        ``t.reshape((2, 3))``; one entry may be -1. The backward pass
        reshapes ``grad_out`` back."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        out = Tensor(self.data.reshape(shape), _inputs=(self,), _op="reshape")

        def _backward(grad_out):  # each element only moves
            self.grad += grad_out.reshape(self.data.shape)
        out._backward = _backward
        return out

    # --- derived operations, built from the ones above ---

    def mean(self, axis=None, keepdims=False):
        """The mean over ``axis``: the sum times (outputs / inputs)."""
        total = self.sum(axis, keepdims)
        return total * (total.data.size / self.data.size)

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        if not isinstance(other, Tensor):     # a constant: negate it in NumPy
            data = _constant_array(other)
            if data is None:                  # checked and copied, as in
                data = _leaf_array(other)     # Tensor(other)
            return self + (-data)
        return self + (-other)

    def __truediv__(self, other):
        other = _as_tensor(other)
        if (other.data == 0).any():
            raise ZeroDivisionError("division of a Tensor by 0.")
        return self * other ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _as_tensor(other) - self

    def __rtruediv__(self, other):
        return _as_tensor(other) / self

    def __rmatmul__(self, other):
        return _as_tensor(other) @ self

    # --- shape information, as NumPy names it ---

    @property
    def shape(self):
        return self.data.shape

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    # --- the backward pass ---

    def topological_order(self):
        """Every node this tensor depends on, each after all of its inputs.

        A depth-first search with an explicit stack (no recursion), as in
        :meth:`nnbook.Value.topological_order`.
        """
        order, seen = [], {self}
        stack = [(self, iter(self.inputs))]
        while stack:
            v, inputs = stack[-1]
            for child in inputs:              # the next input not yet placed
                if child not in seen:
                    seen.add(child)
                    if not child.inputs:      # a leaf: nothing to visit first,
                        order.append(child)   # so place it at once (the same
                        continue              # order, without stack work)
                    stack.append((child, iter(child.inputs)))
                    break
            else:                             # all of v's inputs are placed
                stack.pop()
                order.append(v)
        return order

    def backward(self):
        """Fill ``grad`` of every node with ``d self / d node``.

        ``self`` must hold a single number (a loss). Gradients are first
        reset to zeros on the whole graph, so calling ``backward`` again
        gives the same result; within one pass they *add*: a tensor used
        twice collects a contribution from each use.
        """
        if self.data.size != 1:
            raise ValueError(
                f"backward() needs a tensor of size 1 (a loss), got shape "
                f"{self.data.shape}: reduce it first, e.g. with .sum() or "
                f".mean()."
            )
        order = self.topological_order()
        for v in order:
            v.grad = np.zeros(v.data.shape)
        self.grad = np.ones(self.data.shape)
        for v in reversed(order):
            if v.inputs:                      # a leaf has nothing to pass on
                v._backward(v.grad)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ")
        body = body.replace("\n", "\n" + " " * len("Tensor("))   # align rows
        op = f", op={self.op!r}" if self.op else ""
        return f"Tensor({body}{op})"


def _no_backward(grad_out):
    """A leaf has no inputs to pass a gradient to."""


def _leaf_array(data):
    """``data`` as a float64 array, or a clear error."""
    if isinstance(data, Tensor):
        raise TypeError("Tensor(data) takes an array, got a Tensor: use it "
                        "as it is, or Tensor(t.data) for a new leaf.")
    arr = np.asarray(data)
    if arr.dtype.kind != "f":
        raise TypeError(
            f"Tensor needs floating-point data, got dtype {arr.dtype}: "
            f"write np.asarray(x, dtype=float) (or 3.0 instead of 3)."
        )
    if arr.size == 0:
        raise ValueError(
            f"Tensor needs at least one element, got shape {arr.shape}."
        )
    arr = np.array(arr, dtype=np.float64)     # a copy: the graph owns it
    if not np.isfinite(arr).all():
        raise ValueError("Tensor data must be finite, got NaN or infinity.")
    return arr


def _as_tensor(x):
    """A Tensor as it is; a number or a float array as a *constant* leaf.

    A constant (``2.0`` in ``2.0 * x``, a batch of data in ``X @ W``) is used
    as it is, without a copy, and nobody asks for its gradient: ``+``, ``*``
    and ``@`` skip computing it (PyTorch's ``requires_grad=False``), and its
    ``grad`` stays zeros.
    """
    if isinstance(x, Tensor):
        return x
    data = _constant_array(x)
    if data is None:
        return Tensor(x)                      # checked and copied
    const = Tensor.__new__(Tensor)
    const.data, const.grad, const.label = data, np.zeros(data.shape), ""
    const.inputs, const.op, const._backward = (), "", _no_backward
    const._constant = True
    return const


def _constant_array(x):
    """A float64 array as it is, a number as a 0-d array; else None."""
    if isinstance(x, np.ndarray) and x.dtype is _FLOAT64 and x.size:
        return x
    if isinstance(x, float) or (isinstance(x, numbers.Real)
                                and not isinstance(x, bool)):
        return np.array(float(x))
    return None


def _unbroadcast(grad, shape):
    """Sum ``grad`` down to ``shape``: undo NumPy broadcasting.

    Broadcasting copies an input along new leading axes and along its axes of
    length 1; each copy sends back its own gradient, and the copies' gradients
    add up. ``grad`` of shape ``(B, n)`` and ``shape`` ``(n,)`` gives the sum
    over the ``B`` rows; ``shape`` ``(B, 1)`` gives the sum over each row.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:                     # (a sum over no axes would only copy grad)
        grad = grad.sum(axis=tuple(range(extra)))        # new leading axes
        if grad.shape == shape:                          # e.g. (B, n) to (n,)
            return grad
    ones = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=ones, keepdims=True)            # axes of length 1


def _normalize_axis(axis, ndim):
    """``axis`` as a tuple of non-negative ints (all axes for None)."""
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int and -ndim <= axis < ndim:    # the common case, quickly
        return (axis % ndim,)
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, numbers.Integral) \
                or not -ndim <= a < ndim:
            raise ValueError(
                f"axis must be an int in [-{ndim}, {ndim}) or a tuple of "
                f"them for a {ndim}-D tensor, got {axis!r}."
            )
    axes = tuple(a % ndim for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"axis names an axis twice: {axis!r}.")
    return axes


def _check_matmul(a, b):
    if a.ndim != 2 or b.ndim != 2:
        raise ValueError(
            f"Tensor @ needs two 2-D tensors, got shapes {a.shape} and "
            f"{b.shape}."
        )
    if a.shape[1] != b.shape[0]:
        raise ValueError(
            f"Tensor @: shapes {a.shape} and {b.shape} do not align "
            f"({a.shape[1]} != {b.shape[0]})."
        )
