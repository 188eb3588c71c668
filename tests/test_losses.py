"""Losses: values against hand formulas, the fused softmax + CE gradient,
labels versus one-hot targets, extremes, purity."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from helpers import strict_numerics

from nnbook import MSE, BinaryCrossEntropy, CrossEntropy, Softmax


# --- MSE ------------------------------------------------------------------------------

def test_mse_is_the_mean_over_all_elements():
    pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    target = np.array([[1.0, 1.0], [1.0, 1.0]])
    loss = MSE()
    # torch.nn.MSELoss (reduction="mean"): sum of squares / number of elements.
    assert loss(pred, target) == pytest.approx((0 + 1 + 4 + 9) / 4)
    assert np.allclose(loss.backward(), 2 * (pred - target) / 4)


def test_mse_against_the_formula_on_random_data():
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    loss = MSE()
    value = loss.forward(pred, target)
    assert isinstance(value, float)
    assert value == pytest.approx(np.sum((pred - target) ** 2) / 15, rel=1e-14)
    assert np.allclose(loss.backward(), 2 * (pred - target) / 15, rtol=1e-14)
    assert loss(target, target) == 0.0


# --- binary cross-entropy -------------------------------------------------------------

def test_bce_against_the_formula():
    p = np.array([[0.9], [0.2], [0.6], [0.3]])
    y = np.array([[1.0], [0.0], [1.0], [1.0]])
    loss = BinaryCrossEntropy()
    by_hand = -(np.log(0.9) + np.log(0.8) + np.log(0.6) + np.log(0.3)) / 4
    assert loss(p, y) == pytest.approx(by_hand, rel=1e-14)
    assert np.allclose(loss.backward(), (p - y) / (p * (1 - p)) / 4, rtol=1e-14)
    assert np.allclose(loss.backward(), [[-1 / 0.9], [1 / 0.8], [-1 / 0.6],
                                         [-1 / 0.3]] / np.float64(4))


def test_bce_is_a_mean_over_all_elements():
    rng = np.random.default_rng(1)
    p = rng.uniform(0.1, 0.9, (3, 4))
    y = rng.uniform(0, 1, (3, 4))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert BinaryCrossEntropy()(p, y) == pytest.approx(expected, rel=1e-13)


def test_bce_accuracy_thresholds_at_one_half():
    p = np.array([[0.9], [0.4], [0.6], [0.1]])
    y = np.array([[1.0], [1.0], [1.0], [0.0]])
    assert BinaryCrossEntropy().accuracy(p, y) == 0.75
    assert MSE().accuracy(p, y) is None


# --- cross-entropy on logits ----------------------------------------------------------

def test_cross_entropy_against_the_formula():
    z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    labels = np.array([0, 2])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss = CrossEntropy()
    expected = -(np.log(p[0, 0]) + np.log(p[1, 2])) / 2       # mean over batch
    assert loss(z, labels) == pytest.approx(expected, rel=1e-14)
    assert np.allclose(loss.backward(), (p - np.eye(3)[labels]) / 2, rtol=1e-14)


@settings(max_examples=30)
@given(batch=st.integers(1, 8), n_classes=st.integers(2, 6),
       seed=st.integers(0, 2**32 - 1))
def test_cross_entropy_labels_and_one_hot_agree(batch, n_classes, seed):
    rng = np.random.default_rng(seed)
    z = 3 * rng.standard_normal((batch, n_classes))
    labels = rng.integers(0, n_classes, batch)
    by_label, by_row = CrossEntropy(), CrossEntropy()
    loss_label = by_label.forward(z, labels)
    loss_row = by_row.forward(z, np.eye(n_classes)[labels])
    assert loss_label == pytest.approx(loss_row, rel=1e-12, abs=1e-15)
    assert np.allclose(by_label.backward(), by_row.backward(), rtol=1e-12,
                       atol=1e-15)
    assert np.allclose(by_label.backward().sum(axis=1), 0.0, atol=1e-15)


def test_cross_entropy_accepts_probability_rows():
    z = np.array([[1.0, 2.0, 3.0]])
    soft = np.array([[0.2, 0.3, 0.5]])
    p = np.exp(z) / np.exp(z).sum()
    loss = CrossEntropy()
    assert loss(z, soft) == pytest.approx(-np.sum(soft * np.log(p)), rel=1e-14)
    assert np.allclose(loss.backward(), p - soft)


def test_cross_entropy_accuracy():
    z = np.array([[3.0, 1.0, 0.0], [0.0, 0.1, 2.0], [1.0, 2.0, 0.0]])
    assert CrossEntropy().accuracy(z, np.array([0, 2, 0])) == pytest.approx(2 / 3)
    assert CrossEntropy().accuracy(z, np.eye(3)[[0, 2, 1]]) == 1.0


# --- the fused gradient equals the unfused chain (the Backpropagation chapter) --------

PROBS = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
TARGETS = np.array([0, 1, 1])
FUSED = np.array([[-0.1, 0.03333333, 0.06666667],
                  [0.03333333, -0.16666667, 0.13333333],
                  [0.00666667, -0.03333333, 0.02666667]])


def test_fused_cross_entropy_gradient_of_the_seed():
    loss = CrossEntropy()
    value = loss.forward(np.log(PROBS), TARGETS)       # softmax(log p) = p
    assert value == pytest.approx(-np.mean(np.log([0.7, 0.5, 0.9])), rel=1e-12)
    fused = loss.backward()
    assert np.allclose(fused, FUSED, rtol=0, atol=1e-8)
    assert np.allclose(fused, (PROBS - np.eye(3)[TARGETS]) / 3, rtol=0, atol=1e-15)


def test_fused_gradient_equals_the_unfused_chain():
    n = len(TARGETS)
    softmax = Softmax()
    a = softmax.forward(np.log(PROBS))
    assert np.allclose(a, PROBS, rtol=0, atol=1e-15)
    # Categorical cross-entropy on probabilities, written out:
    # L = -mean_i log a[i, y_i], so dL/da[i, k] = -[k == y_i] / (n a[i, k]).
    y = np.eye(3)[TARGETS]
    value = -np.mean(np.log(a[np.arange(n), TARGETS]))
    dL_da = -y / (n * a)
    unfused = softmax.backward(dL_da)
    loss = CrossEntropy()
    assert loss.forward(np.log(PROBS), TARGETS) == pytest.approx(value, rel=1e-12)
    fused = loss.backward()
    assert np.allclose(unfused, fused, rtol=0, atol=1e-14)
    assert np.allclose(unfused, FUSED, rtol=0, atol=1e-8)


# --- extreme inputs: finite, and no NumPy warning -------------------------------------

def test_cross_entropy_at_logits_plus_minus_1e4():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, -1e4], [-1e4, -1e4, -1e4]])
    for target in (np.array([1, 1, 2]), np.eye(3)[[1, 1, 2]]):
        loss = CrossEntropy()
        with strict_numerics():
            value = loss.forward(z, target)
            grad = loss.backward()
        assert np.isfinite(value) and np.all(np.isfinite(grad))
        # Row 0 puts all mass on the wrong class: -log p = 2e4; row 1 is right.
        expected = (2e4 + 0.0 + np.log(3)) / 3
        assert value == pytest.approx(expected, rel=1e-12)
        p = loss.p
        assert np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-15)
        assert np.allclose(grad, (p - np.eye(3)[[1, 1, 2]]) / 3)


def test_bce_at_probabilities_0_and_1():
    p = np.array([[0.0, 0.0, 1.0, 1.0]])
    y = np.array([[0.0, 1.0, 0.0, 1.0]])
    loss = BinaryCrossEntropy()
    with strict_numerics():
        value = loss.forward(p, y)
        grad = loss.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    # Two confident mistakes cost -log(eps) each, the right ones about nothing.
    eps = np.finfo(np.float64).eps
    assert value == pytest.approx(-2 * np.log(eps) / 4, rel=1e-6)
    assert grad[0, 0] > 0 and grad[0, 1] < 0 and grad[0, 2] > 0 and grad[0, 3] < 0


def test_bce_at_probabilities_0_and_1_float32():
    p = np.array([[0.0, 1.0]], dtype=np.float32)
    y = np.array([[1.0, 0.0]], dtype=np.float32)
    loss = BinaryCrossEntropy()
    with strict_numerics():
        value = loss.forward(p, y)
        grad = loss.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert grad.dtype == np.float32


# --- no loss changes its arguments ----------------------------------------------------

def _cases():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((4, 3))
    return {
        "MSE": (MSE(), rng.standard_normal((4, 3)), rng.standard_normal((4, 3))),
        "BCE": (BinaryCrossEntropy(), np.array([[0.0, 0.3, 1.0, 0.7]]).T,
                np.array([[0.0, 1.0, 1.0, 0.0]]).T),
        "CE labels": (CrossEntropy(), logits, np.array([2, 0, 1, 2])),
        "CE one-hot": (CrossEntropy(), logits, np.eye(3)[[2, 0, 1, 2]]),
    }


@pytest.mark.parametrize("name", _cases())
def test_losses_do_not_mutate_pred_or_target(name):
    loss, pred, target = _cases()[name]
    pred_saved, target_saved = pred.copy(), target.copy()
    loss.forward(pred, target)
    grad = loss.backward()
    grad_saved = grad.copy()
    second = loss.backward()
    assert np.array_equal(pred, pred_saved)
    assert np.array_equal(target, target_saved)
    assert np.array_equal(grad, grad_saved) and np.array_equal(second, grad)


@pytest.mark.parametrize("loss", [MSE(), BinaryCrossEntropy(), CrossEntropy()])
def test_loss_reprs(loss):
    assert repr(loss) == f"{type(loss).__name__}()"
