"""BatchNorm: values by hand, gradients, running statistics, modes, errors.

The contract tests every module gets (purity, dtype, backward before
forward, float64 and float32 gradient checks) run from tests/helpers.py's
registry in tests/test_modules.py; this file adds what is particular to a
layer whose output mixes the samples of a batch.
"""

import re

import numpy as np
import pytest
from helpers import strict_numerics

import nnbook as nb
from nnbook import BatchNorm, batchnorm_backward

EPS = 1e-5


def _random_bn(n, rng, dtype=np.float64, **kwargs):
    bn = BatchNorm(n, dtype=dtype, **kwargs)
    bn.gamma[:] = rng.uniform(0.5, 2.0, n)
    bn.beta[:] = rng.standard_normal(n)
    return bn


# --- values by hand --------------------------------------------------------------


def test_defaults_and_initial_state():
    bn = BatchNorm(4)
    assert bn.eps == 1e-5 and bn.momentum == 0.1
    assert bn.param_names == ("gamma", "beta")
    assert np.array_equal(bn.gamma, np.ones(4)) and bn.gamma.dtype == np.float64
    assert np.array_equal(bn.beta, np.zeros(4)) and bn.beta.dtype == np.float64
    assert np.array_equal(bn.running_mean, np.zeros(4))
    assert np.array_equal(bn.running_var, np.ones(4))
    assert bn.running_mean.dtype == bn.running_var.dtype == np.float64
    assert bn.dgamma is None and bn.dbeta is None and bn.training is True
    assert bn.Xhat is None and bn.inv_std is None and bn.batch_stats is None


def test_training_forward_and_running_statistics_by_hand():
    # Column 0: 1, 3 (mean 2, biased variance 1, unbiased 2).
    # Column 1: 2, 6 (mean 4, biased variance 4, unbiased 8).
    X = np.array([[1.0, 2.0], [3.0, 6.0]])
    bn = BatchNorm(2)
    bn.gamma[:] = [2.0, 3.0]
    bn.beta[:] = [0.5, -1.0]
    Y = bn.forward(X)
    s = np.sqrt(np.array([1.0, 4.0]) + EPS)
    Xhat = np.array([[-1.0, -2.0], [1.0, 2.0]]) / s
    assert np.allclose(Y, [2.0, 3.0] * Xhat + [0.5, -1.0], rtol=1e-15, atol=0)
    assert np.allclose(bn.Xhat, Xhat, rtol=1e-15, atol=0)
    # running = 0.9 old + 0.1 batch; the variance unbiased (B / (B - 1) = 2).
    assert np.allclose(bn.running_mean, [0.2, 0.4], rtol=1e-15, atol=0)
    assert np.allclose(bn.running_var, [0.9 + 0.1 * 2.0, 0.9 + 0.1 * 8.0],
                       rtol=1e-15, atol=0)


def test_evaluation_uses_the_running_statistics():
    bn = BatchNorm(2)
    bn.forward(np.array([[1.0, 2.0], [3.0, 6.0]]))     # running: see above
    bn.gamma[:] = [2.0, 3.0]
    bn.beta[:] = [0.5, -1.0]
    mean_before, var_before = bn.running_mean.copy(), bn.running_var.copy()
    x = np.array([[4.0, -1.0]])                        # one sample is fine
    y = bn.eval().forward(x)
    s = np.sqrt(np.array([1.1, 1.7]) + EPS)
    expected = np.array([2.0, 3.0]) * (x - [0.2, 0.4]) / s + [0.5, -1.0]
    assert np.allclose(y, expected, rtol=1e-14, atol=0)
    assert np.array_equal(bn.running_mean, mean_before)   # not updated
    assert np.array_equal(bn.running_var, var_before)


def test_running_statistics_over_three_batches_follow_the_recurrence():
    rng = np.random.default_rng(0)
    bn = BatchNorm(3, momentum=0.3)
    mean, var = np.zeros(3), np.ones(3)
    for B in (2, 5, 7):
        X = rng.standard_normal((B, 3)) * [1.0, 4.0, 0.1] + [0.0, 3.0, -2.0]
        bn.forward(X)
        mean = 0.7 * mean + 0.3 * X.mean(axis=0)
        var = 0.7 * var + 0.3 * X.var(axis=0, ddof=1)
    assert np.allclose(bn.running_mean, mean, rtol=1e-13, atol=1e-15)
    assert np.allclose(bn.running_var, var, rtol=1e-13, atol=0)


@pytest.mark.parametrize("momentum", [0, 0.0, 1, 1.0])
def test_momentum_at_its_bounds(momentum):
    X = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]])
    bn = BatchNorm(2, momentum=momentum)
    bn.forward(X)
    if momentum == 0:                       # the running statistics stay
        assert np.array_equal(bn.running_mean, [0.0, 0.0])
        assert np.array_equal(bn.running_var, [1.0, 1.0])
    else:                                   # they become the batch's
        assert np.allclose(bn.running_mean, X.mean(axis=0), rtol=1e-15)
        assert np.allclose(bn.running_var, X.var(axis=0, ddof=1), rtol=1e-15)


# Computed once by PyTorch 2.13.0 (torch.nn.BatchNorm1d in float64, see the
# test below), rounded to 15 decimals; PyTorch is not a dependency of nnbook.
PYTORCH_REFERENCE = {
    "Y": [[-0.447034817321517, 0.408527200025702, -0.105662238305012],
          [0.447034817321517, 0.746511657153872, -3.683013285084964],
          [-1.34110445196455, 1.760465028538383, -1.894337761694988],
          [1.34110445196455, 1.084496114282043, 1.683013285084964]],
    "dX": [[0.625705807458014, 0.202620794037998, -1.028483955154587],
           [1.162433461828053, 0.328254952536407, 0.402438580378796],
           [-0.805091481555058, 0.367172970903461, -0.089438246964148],
           [-0.983047787731009, -0.898048717477866, 0.715483621739939]],
    "dgamma": [1.788139269286067, 3.717829028409872, 0.223584440423747],
    "dbeta": [2.0, 2.0, 0.5],
    "running_mean": [0.25, 0.1875, 0.25],
    "running_var": [1.166666666666667, 1.479166666666666, 2.416666666666667],
    "Y_eval_row0": [[0.231355893655155, 0.511967984943763, 1.250970653260943]],
}


def test_pytorch_batchnorm1d_reference_values():
    # torch 2.13.0: m = torch.nn.BatchNorm1d(3, eps=1e-3, momentum=0.25,
    # dtype=torch.float64), gamma and beta set as below, X as below, one
    # forward in training mode, then the loss sum(Y * G) backward.
    X = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -2.0],
                  [-0.5, 3.0, 0.0], [2.5, 1.0, 4.0]])
    G = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5],
                  [-1.0, 3.0, 0.0], [0.0, -2.0, 1.0]])
    bn = BatchNorm(3, eps=1e-3, momentum=0.25)
    bn.gamma[:] = [1.0, 0.5, 2.0]
    bn.beta[:] = [0.0, 1.0, -1.0]
    Y = bn.forward(X)
    dX = bn.backward(G)
    ref = PYTORCH_REFERENCE
    assert np.allclose(Y, ref["Y"], rtol=1e-12, atol=1e-14)
    assert np.allclose(dX, ref["dX"], rtol=1e-12, atol=1e-14)
    assert np.allclose(bn.dgamma, ref["dgamma"], rtol=1e-12, atol=1e-14)
    assert np.allclose(bn.dbeta, ref["dbeta"], rtol=1e-12, atol=1e-14)
    assert np.allclose(bn.running_mean, ref["running_mean"], rtol=1e-12)
    assert np.allclose(bn.running_var, ref["running_var"], rtol=1e-12)
    y_eval = bn.eval().forward(X[:1])
    assert np.allclose(y_eval, ref["Y_eval_row0"], rtol=1e-12, atol=1e-14)


# --- gradients -------------------------------------------------------------------


def _graph_backward(X, gamma, eps, grad_out):
    """dX, dgamma, dbeta through every node: mu, Xc, var, inv_std, Xhat, Y."""
    B = X.shape[0]
    mu = X.mean(axis=0)
    Xc = X - mu
    var = (Xc ** 2).mean(axis=0)
    inv_std = 1 / np.sqrt(var + eps)
    Xhat = Xc * inv_std
    dgamma = (grad_out * Xhat).sum(axis=0)
    dbeta = grad_out.sum(axis=0)
    dXhat = grad_out * gamma
    dinv_std = (dXhat * Xc).sum(axis=0)
    dvar = dinv_std * (-0.5) * (var + eps) ** -1.5
    dXc = dXhat * inv_std + dvar * 2 * Xc / B
    dmu = -dXc.sum(axis=0)
    return dXc + dmu / B, dgamma, dbeta


@pytest.mark.parametrize("seed", range(6))
def test_training_gradients_agree_with_finite_differences(seed):
    rng = np.random.default_rng(seed)
    B, n = int(rng.integers(2, 8)), int(rng.integers(1, 6))
    bn = _random_bn(n, rng)
    X = rng.standard_normal((B, n)) * rng.uniform(0.1, 5.0, n)
    Y = rng.standard_normal((B, n))
    errors = nb.gradient_errors(bn, nb.MSE(), X, Y)
    assert set(errors) == {"gamma", "beta", "X"}
    assert max(errors.values()) < 1e-7, errors


def test_the_gradient_check_does_not_depend_on_the_running_statistics():
    # Finite differences call forward many times in training mode, and each
    # call moves the running statistics; the training output never reads them.
    rng = np.random.default_rng(1)
    bn = _random_bn(3, rng)
    X = rng.standard_normal((4, 3))
    Y1 = bn.forward(X)
    bn.running_mean = rng.standard_normal(3) * 100
    bn.running_var = rng.uniform(1e-3, 1e3, 3)
    assert np.array_equal(bn.forward(X), Y1)
    Y = rng.standard_normal((4, 3))
    first = nb.check_gradients(bn, nb.MSE(), X, Y)
    assert first < 1e-7
    assert nb.check_gradients(bn, nb.MSE(), X, Y) == pytest.approx(first, rel=1e-3)


@pytest.mark.parametrize("seed", range(3))
def test_evaluation_gradients_agree_with_finite_differences(seed):
    rng = np.random.default_rng(10 + seed)
    bn = _random_bn(3, rng)
    bn.running_mean = rng.standard_normal(3)
    bn.running_var = rng.uniform(0.2, 3.0, 3)
    bn.eval()
    X, Y = rng.standard_normal((1, 3)), rng.standard_normal((1, 3))
    assert nb.check_gradients(bn, nb.MSE(), X, Y) < 1e-7
    g = rng.standard_normal((1, 3))
    bn.forward(X)
    expected = g * bn.gamma / np.sqrt(bn.running_var + EPS)
    assert np.allclose(bn.backward(g), expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("seed", range(4))
def test_simplified_formula_equals_the_graph_version(seed):
    rng = np.random.default_rng(20 + seed)
    B, n = int(rng.integers(2, 9)), int(rng.integers(1, 5))
    bn = _random_bn(n, rng, eps=float(rng.uniform(1e-5, 0.5)))
    X = rng.standard_normal((B, n)) * 3 + 1
    G = rng.standard_normal((B, n))
    bn.forward(X)
    dX = bn.backward(G)
    dX_graph, dgamma, dbeta = _graph_backward(X, bn.gamma, bn.eps, G)
    assert np.allclose(dX, dX_graph, rtol=1e-10, atol=1e-12)
    assert np.allclose(bn.dgamma, dgamma, rtol=1e-12, atol=1e-14)
    assert np.allclose(bn.dbeta, dbeta, rtol=1e-12, atol=1e-14)
    direct = batchnorm_backward(G * bn.gamma, bn.Xhat, bn.inv_std)
    assert np.allclose(dX, direct, rtol=1e-12, atol=1e-14)
    assert np.allclose(direct, dX_graph, rtol=1e-10, atol=1e-12)


def test_training_input_gradient_is_orthogonal_to_ones_and_to_xhat():
    # Y does not change when X shifts per column, so dX sums to 0 over the
    # batch; nor (but for eps) when X scales per column, so for gamma = 1,
    # sum_r dX Xhat = inv_std sum_r (G Xhat) eps / (var + eps), about 0.
    rng = np.random.default_rng(3)
    bn = BatchNorm(4, eps=1e-3)
    X, G = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    bn.forward(X)
    dX = bn.backward(G)
    assert np.allclose(dX.sum(axis=0), 0.0, atol=1e-13)
    var = X.var(axis=0)
    expected = bn.inv_std * (G * bn.Xhat).sum(axis=0) * 1e-3 / (var + 1e-3)
    assert np.allclose((dX * bn.Xhat).sum(axis=0), expected, rtol=1e-9,
                       atol=1e-14)
    assert np.all(np.abs(expected) > 1e-5)       # so the check is not empty


def test_a_batch_of_two_has_a_zero_input_gradient_at_gamma_one():
    # With B = 2 each column of Xhat is (-1, 1) / sqrt(1 + eps / var) whatever
    # X is: as eps -> 0 the output is constant, so dX -> 0.
    bn = BatchNorm(1, eps=1e-14)
    bn.forward(np.array([[1.0], [3.0]]))
    assert np.allclose(bn.backward(np.array([[5.0], [-2.0]])), 0.0, atol=1e-12)


def test_parameter_gradients_by_hand():
    bn = BatchNorm(2)
    bn.forward(np.array([[1.0, 2.0], [3.0, 6.0]]))
    G = np.array([[1.0, 2.0], [4.0, -1.0]])
    bn.backward(G)
    s = np.sqrt(np.array([1.0, 4.0]) + EPS)
    # dgamma = sum_r G * Xhat, Xhat = [[-1, -2], [1, 2]] / s; dbeta = sum_r G.
    assert np.allclose(bn.dgamma, np.array([3.0, -6.0]) / s, rtol=1e-15)
    assert np.array_equal(bn.dbeta, [5.0, 1.0])


def test_input_grad_false_skips_dx_but_not_the_parameters():
    bn = BatchNorm(2)
    bn.input_grad = False
    bn.forward(np.array([[1.0, 2.0], [3.0, 6.0]]))
    assert bn.backward(np.ones((2, 2))) is None
    assert np.array_equal(bn.dbeta, [2.0, 2.0])


def test_backward_follows_the_mode_of_the_last_forward():
    rng = np.random.default_rng(5)
    bn = _random_bn(3, rng)
    X, G = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    bn.forward(X)
    dX_train = bn.backward(G)
    bn.eval()                       # switched after forward: no effect yet
    assert np.array_equal(bn.backward(G), dX_train)
    bn.forward(X)
    assert np.allclose(bn.backward(G),
                       G * bn.gamma / np.sqrt(bn.running_var + EPS), rtol=1e-15)


# --- modes, batches, fit ---------------------------------------------------------


def test_evaluation_rows_do_not_depend_on_the_rest_of_the_batch():
    rng = np.random.default_rng(6)
    bn = _random_bn(3, rng)
    for _ in range(5):
        bn.forward(rng.standard_normal((8, 3)) * 2 + 1)
    X = rng.standard_normal((6, 3))
    Y_eval = bn.eval().forward(X)
    assert np.allclose(bn.forward(X[2:3]), Y_eval[2:3], rtol=1e-15, atol=0)
    Y_train = bn.train().forward(X)
    Y_train_other = bn.forward(np.vstack([X[:3], 10 + X[3:]]))
    assert not np.allclose(Y_train[:3], Y_train_other[:3])   # training mixes


def test_training_output_has_mean_beta_and_variance_gamma_squared():
    rng = np.random.default_rng(7)
    bn = _random_bn(5, rng, eps=1e-12)
    Y = bn.forward(rng.standard_normal((50, 5)) * 7 - 3)
    assert np.allclose(Y.mean(axis=0), bn.beta, atol=1e-12)
    assert np.allclose(Y.var(axis=0), bn.gamma ** 2, rtol=1e-9)


def test_a_single_sample_is_refused_in_training_but_not_in_evaluation():
    bn = BatchNorm(3)
    with pytest.raises(ValueError, match=r"at least 2 samples .* got shape \(1, 3\)"):
        bn.forward(np.ones((1, 3)))
    assert np.array_equal(bn.running_mean, np.zeros(3))   # nothing updated
    assert bn.eval().forward(np.ones((1, 3))).shape == (1, 3)


def test_fit_trains_in_training_mode_and_validates_in_evaluation_mode():
    rng = np.random.default_rng(8)
    X = rng.standard_normal((40, 3)) * 5 + 2
    y = rng.integers(0, 2, 40)
    X_val = rng.standard_normal((10, 3)) * 5 + 2
    y_val = rng.integers(0, 2, 10)
    bn = BatchNorm(3, momentum=1.0)
    model = nb.Sequential([bn, nb.Dense(3, 3, rng=0), nb.ReLU(),
                           nb.Dense(3, 2, rng=1)])
    model.eval()
    history = nb.fit(model, nb.CrossEntropy(), nb.SGD(0.1), X, y, epochs=2,
                     batch_size=16, rng=0, validation_data=(X_val, y_val))
    assert model.training is False and bn.training is False   # restored
    assert bn.input_grad is True                               # restored
    # momentum 1: the running statistics are those of the last training batch
    # (the last 8 of epoch 2's shuffle), not of the validation data, which
    # ran in evaluation mode.
    order = np.random.default_rng(0)
    order.permutation(40)                                      # epoch 1
    batch = order.permutation(40)[32:]                         # epoch 2
    assert np.allclose(bn.running_mean, X[batch].mean(axis=0), rtol=1e-14)
    assert np.allclose(bn.running_var, X[batch].var(axis=0, ddof=1),
                       rtol=1e-14)
    val_loss = nb.CrossEntropy().forward(model.predict(X_val), y_val)
    assert history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-12)


def test_sequential_with_batchnorm_passes_the_gradient_check():
    rng = np.random.default_rng(9)
    model = nb.Sequential([nb.Dense(4, 5, rng=rng), BatchNorm(5), nb.Tanh(),
                           nb.Dense(5, 3, rng=rng), BatchNorm(3)])
    X, y = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    errors = nb.gradient_errors(model, nb.CrossEntropy(), X, y)
    assert len(errors) == 9
    # A bias right before BatchNorm is subtracted again with the mean: its
    # gradient is 0 (up to rounding), and a relative error means nothing.
    assert np.abs(model.layers[0].db).max() < 1e-15
    assert np.abs(model.layers[3].db).max() < 1e-15
    del errors["layers[0].b"], errors["layers[3].b"]
    assert max(errors.values()) < 1e-7, errors


# --- dtypes, extremes, bad input -------------------------------------------------


def test_float32_is_kept_everywhere():
    bn = BatchNorm(3, dtype=np.float32)
    X = np.random.default_rng(0).standard_normal((4, 3))     # float64 in
    Y = bn.forward(X)
    dX = bn.backward(np.ones((4, 3), dtype=np.float32))
    arrays = [Y, dX, bn.gamma, bn.beta, bn.dgamma, bn.dbeta,
              bn.running_mean, bn.running_var, bn.Xhat, bn.inv_std]
    assert all(a.dtype == np.float32 for a in arrays)
    assert bn.eval().forward(X).dtype == np.float32


def test_integer_input_becomes_float():
    Y = BatchNorm(2).forward(np.array([[1, 2], [3, 6]]))
    assert Y.dtype == np.float64
    assert np.allclose(Y, [[-1, -1], [1, 1]], atol=1e-5)


@pytest.mark.parametrize("scale", [1e-100, 1e-8, 1e100, 1e150])
def test_extreme_scales_give_finite_results_without_warnings(scale):
    X = np.array([[1.0, -2.0], [3.0, 0.5], [-1.0, 4.0]]) * scale
    bn = BatchNorm(2)
    with strict_numerics():
        Y = bn.forward(X)
        dX = bn.backward(np.array([[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]]))
        Y_eval = bn.eval().forward(X)
    assert np.all(np.isfinite(Y)) and np.all(np.isfinite(dX))
    assert np.all(np.isfinite(Y_eval))
    if scale >= 1:          # eps is negligible: the plain standardization
        Z = (X - X.mean(axis=0)) / X.std(axis=0)
        assert np.allclose(Y, Z, rtol=1e-6)
    else:                   # eps dominates: the output is about 0
        assert np.all(np.abs(Y) < 1e-2)


def test_a_constant_column_gives_beta_and_a_finite_gradient():
    bn = BatchNorm(2)
    bn.beta[:] = [0.5, 0.0]
    X = np.array([[7.0, 1.0], [7.0, 2.0], [7.0, 4.0]])
    with strict_numerics():
        Y = bn.forward(X)
        dX = bn.backward(np.array([[1.0, 0.0], [2.0, 1.0], [3.0, 0.0]]))
    assert np.array_equal(Y[:, 0], [0.5, 0.5, 0.5])
    assert np.all(np.isfinite(dX))
    # var = 0: dX = (g - mean(g)) / sqrt(eps) in that column.
    assert np.allclose(dX[:, 0], np.array([-1.0, 0.0, 1.0]) / np.sqrt(EPS))


def exactly(message):
    """A pytest.raises pattern that matches the whole message, nothing else."""
    return rf"^{re.escape(message)}$"


@pytest.mark.parametrize("shape", [(4,), (4, 2), (4, 3, 1), (2, 4)])
def test_wrong_shapes_are_refused(shape):
    with pytest.raises(ValueError, match=exactly(
            f"BatchNorm expects input of shape (batch, 3) with 3 features, "
            f"got shape {shape}.")):
        BatchNorm(3).forward(np.ones(shape))


def test_a_batch_of_one_in_training_has_an_exact_message():
    with pytest.raises(ValueError, match=exactly(
            "BatchNorm in training mode needs a batch of at least 2 samples "
            "to estimate a variance, got shape (1, 2): use a larger batch, "
            "or eval() to use the running statistics.")):
        BatchNorm(2).forward(np.ones((1, 2)))


def test_empty_and_non_numeric_input_are_refused():
    with pytest.raises(ValueError, match=exactly(
            "X must hold at least 1 sample, got shape (0, 3).")):
        BatchNorm(3).forward(np.ones((0, 3)))
    with pytest.raises(TypeError, match=exactly(
            "X must be a numeric array, got dtype <U1.")):
        BatchNorm(1).forward(np.array([["a"], ["b"]]))
    with pytest.raises(TypeError, match=exactly(
            "X must be a numeric array, got dtype complex128.")):
        BatchNorm(1).forward(np.ones((2, 1)) * 1j)


def test_backward_with_a_wrong_shape_is_refused():
    bn = BatchNorm(3)
    bn.forward(np.ones((4, 3)) * np.arange(4)[:, None])
    with pytest.raises(ValueError, match=exactly(
            "BatchNorm.backward expected grad_out of shape (4, 3) (the shape "
            "of the forward output), got (3, 3).")):
        bn.backward(np.ones((3, 3)))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n_features": 0}, ValueError, "n_features must be >= 1, got 0."),
    ({"n_features": 2.0}, TypeError, "n_features must be an integer, got 2.0."),
    ({"eps": 0.0}, ValueError, "eps must be > 0, got 0.0."),
    ({"eps": -1e-5}, ValueError, "eps must be > 0, got -1e-05."),
    ({"eps": float("nan")}, ValueError, "eps must be a finite number, got nan."),
    ({"momentum": -0.1}, ValueError, "momentum must be in [0, 1], got -0.1."),
    ({"momentum": 1.5}, ValueError, "momentum must be in [0, 1], got 1.5."),
    ({"momentum": float("nan")}, ValueError,
     "momentum must be in [0, 1], got nan."),
    ({"momentum": True}, TypeError, "momentum must be a number, got True."),
    ({"momentum": "0.1"}, TypeError, "momentum must be a number, got '0.1'."),
    ({"dtype": np.int64}, TypeError,
     "dtype must be a floating-point dtype (np.float64 or np.float32), got "
     "int64: an integer weight would truncate every update."),
])
def test_bad_arguments_are_refused(kwargs, error, message):
    kwargs = {"n_features": 3, **kwargs}
    n = kwargs.pop("n_features")
    with pytest.raises(error, match=exactly(message)):
        BatchNorm(n, **kwargs)


def test_repr():
    assert repr(BatchNorm(4)) == "BatchNorm(4, eps=1e-05, momentum=0.1)"
    assert repr(BatchNorm(2, eps=0.001, momentum=0.5)) == \
        "BatchNorm(2, eps=0.001, momentum=0.5)"
