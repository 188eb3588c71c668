"""The bug museum of chapter 8, injected into the engine: the checker flags each.

For each of the eight classic bugs of ``book/08_gradient_checking.ipynb``, a
copy of the engine function it lives in is made with the one wrong line (a
subclass overriding a method, or ``monkeypatch`` replacing a module-level
function; the engine's source is not touched). On the same data and weights,
``check_gradients`` must give < 1e-7 for the engine and > 1e-3 for the bug,
and the rows it flags must be the ones the chapter's table names. Where the
bug is a constant factor ``k`` the error is exactly ``|k - 1| / (|k| + 1)``.
"""

import numpy as np
import pytest

import nnbook as nb
from nnbook import activations

RNG = np.random.default_rng(80)
X = RNG.standard_normal((4, 3))                  # 4 samples, 3 features
Y = RNG.uniform(0.1, 0.9, size=(4, 2))           # targets in (0, 1)
OK, FLAGGED = 1e-7, 1e-3


def small_net(hidden=None, output=None, dense=nb.Dense):
    """Dense(3, 4), hidden (Tanh), Dense(4, 2), output (Identity)."""
    rng = np.random.default_rng(8)
    return nb.Sequential([dense(3, 4, rng=rng), hidden or nb.Tanh(),
                          dense(4, 2, rng=rng), output or nb.Identity()])


def square_middle(dense=nb.Dense):
    """3-4-4-2 tanh network whose middle layer is a square ``dense(4, 4)``."""
    rng = np.random.default_rng(8)
    return nb.Sequential([nb.Dense(3, 4, rng=rng), nb.Tanh(),
                          dense(4, 4, rng=rng), nb.Tanh(),
                          nb.Dense(4, 2, rng=rng)])


def errors_of(model, loss=None):
    return nb.gradient_errors(model, loss or nb.MSE(), X, Y)


def assert_flags(build_buggy, fixed, rows, loss=None, inject=None):
    """The fixed model passes; the buggy one is flagged exactly on ``rows``.

    ``inject()``, if given, patches the engine after the fixed model has been
    checked and before the buggy one is built.
    """
    fix = errors_of(fixed)
    assert max(fix.values()) < OK, fix
    if inject is not None:
        inject()
    buggy = build_buggy()
    bug = errors_of(buggy, loss)
    assert max(bug.values()) > FLAGGED, bug
    assert nb.check_gradients(buggy, loss or nb.MSE(), X, Y) > FLAGGED
    flagged = {name for name, err in bug.items() if err > FLAGGED}
    assert flagged == set(rows), bug
    assert all(bug[name] < OK for name in bug if name not in rows), bug
    return bug


ALL = ["layers[0].W", "layers[0].b", "layers[2].W", "layers[2].b", "X"]
BELOW_HIDDEN = ["layers[0].W", "layers[0].b", "X"]


# --- 1. the lost minus sign: sigmoid written 1 / (1 + e^z) ----------------------------

def test_1_lost_minus_sign_of_the_sigmoid(monkeypatch):
    def inject():
        monkeypatch.setattr(activations, "sigmoid",
                            lambda z: 1.0 / (1.0 + np.exp(z)))  # bug: e^{z}

    bug = assert_flags(lambda: small_net(hidden=nb.Sigmoid()),
                       small_net(hidden=nb.Sigmoid()), BELOW_HIDDEN,
                       inject=inject)
    # backprop returns exactly minus the true gradient below the activation
    assert all(abs(bug[name] - 1.0) < 1e-6 for name in BELOW_HIDDEN)


# --- 2. the squared-error derivative written y - a ------------------------------------

class MSEFlipped(nb.MSE):
    def backward(self):
        self._check_forward_called(self.diff)
        return 2.0 * (-self.diff) / self.diff.size   # bug: diff is a - y


def test_2_squared_error_derivative_y_minus_a():
    bug = assert_flags(small_net, small_net(), ALL, loss=MSEFlipped())
    assert all(abs(err - 1.0) < 1e-6 for err in bug.values())


# --- 3. the activation derivative evaluated at a instead of z -------------------------

def test_3_activation_derivative_at_a_instead_of_z(monkeypatch):
    def sigmoid_grad_at_a(a):                         # bug: sigma'(a)
        s = activations.sigmoid(a)
        return s * (1.0 - s)

    bug = assert_flags(
        lambda: small_net(output=nb.Sigmoid()), small_net(output=nb.Sigmoid()),
        ALL, inject=lambda: monkeypatch.setattr(activations, "sigmoid_grad",
                                                sigmoid_grad_at_a))
    assert min(bug.values()) > 1e-2


# --- 4. the in-place ReLU -------------------------------------------------------------

def relu_inplace(z):                  # the blog post's ReLU.activation
    z[z < 0] = 0
    return z


def relu_grad_inplace(z):             # the blog post's ReLU.gradient
    z[z < 0] = 0
    z[z > 0] = 1
    return z


class MaskInForwardReLU(nb.ReLU):
    """nnbook's ReLU, refactored to keep its mask from forward."""

    def forward(self, z):
        self.z = z
        a = activations.relu(z)
        self.mask = activations.relu_grad(z)  # with in-place helpers: a is z
        return a

    def backward(self, grad_out):
        return grad_out * self.mask


def test_4_in_place_relu(monkeypatch):
    def inject():
        monkeypatch.setattr(activations, "relu", relu_inplace)
        monkeypatch.setattr(activations, "relu_grad", relu_grad_inplace)

    # The refactoring itself is right with nnbook's relu and relu_grad,
    # which make new arrays.
    bug = assert_flags(lambda: small_net(hidden=MaskInForwardReLU()),
                       small_net(hidden=MaskInForwardReLU()), BELOW_HIDDEN,
                       inject=inject)
    z = np.array([[-1.5, 0.7, 2.0]])     # the activations became the mask
    np.testing.assert_array_equal(MaskInForwardReLU().forward(z), [[0, 1, 1]])
    assert bug["layers[0].W"] > 0.999


# --- 5. weight gradients summed, bias gradients averaged ------------------------------

class MeanBiasDense(nb.Dense):
    def backward(self, dZ):
        self.dW = self.X.T @ dZ
        self.db = dZ.mean(axis=0)                     # bug: should be a sum
        return dZ @ self.W.T if self.input_grad else None


def test_5_batch_sum_weights_batch_mean_biases():
    bug = assert_flags(lambda: small_net(dense=MeanBiasDense), small_net(),
                       ["layers[0].b", "layers[2].b"])
    batch = len(X)                                    # k = 1/B
    for name in ("layers[0].b", "layers[2].b"):
        assert abs(bug[name] - (batch - 1) / (batch + 1)) < 1e-6


# --- 6. the missing transpose ---------------------------------------------------------

class NoTransposeDense(nb.Dense):
    def backward(self, dZ):
        self.dW = self.X.T @ dZ
        self.db = dZ.sum(axis=0)
        return dZ @ self.W if self.input_grad else None    # bug: W instead of W.T


def test_6_missing_transpose():
    assert_flags(lambda: square_middle(NoTransposeDense), square_middle(),
                 ["layers[0].W", "layers[0].b", "X"])


# --- 7. the missing 1/N ---------------------------------------------------------------

class MSEWithoutMean(nb.MSE):
    def backward(self):
        self._check_forward_called(self.diff)
        return 2.0 * self.diff                        # bug: no / diff.size


def test_7_missing_one_over_n():
    bug = assert_flags(small_net, small_net(), ALL, loss=MSEWithoutMean())
    n = Y.size                                        # k = N = 8
    assert all(abs(err - (n - 1) / (n + 1)) < 1e-6 for err in bug.values())


# --- 8. a bias gradient not summed over the batch -------------------------------------

class FirstRowBiasDense(nb.Dense):
    def backward(self, dZ):
        self.dW = self.X.T @ dZ
        self.db = dZ[0]                               # bug: the first sample
        return dZ @ self.W.T if self.input_grad else None


def test_8_bias_gradient_not_summed_over_the_batch():
    assert_flags(lambda: small_net(dense=FirstRowBiasDense), small_net(),
                 ["layers[0].b", "layers[2].b"])
    # ... and why one checks on several samples: a batch of one passes.
    one = nb.check_gradients(small_net(dense=FirstRowBiasDense), nb.MSE(),
                             X[:1], Y[:1])
    assert one < OK


@pytest.mark.parametrize("dense", [MeanBiasDense, NoTransposeDense,
                                   FirstRowBiasDense])
def test_the_copies_differ_from_the_engine_only_in_their_bug(dense):
    # Each buggy copy, with its bug undone, is the engine: same dW, and db
    # and dX equal wherever the bug does not reach.
    rng = np.random.default_rng(3)
    layer, ref = dense(4, 4, rng=1), nb.Dense(4, 4, rng=1)
    Xb, dZ = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    layer.forward(Xb)
    ref.forward(Xb)
    dX, dX_ref = layer.backward(dZ), ref.backward(dZ)
    np.testing.assert_array_equal(layer.dW, ref.dW)
    if dense is not NoTransposeDense:
        np.testing.assert_array_equal(dX, dX_ref)
    else:
        np.testing.assert_array_equal(layer.db, ref.db)
    layer.input_grad = False
    assert layer.backward(dZ) is None
