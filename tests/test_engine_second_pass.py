"""The engine's speed pass (issue 11): cheaper per batch, the same answers
and the same errors; and the cases an attacker tries next."""

import re
import warnings

import numpy as np
import pytest

from nnbook import (SGD, Adam, AdamW, CrossEntropy, Dense, Module, ReLU,
                    Sequential, Softmax, fit)
from nnbook.training import _gradient_reader


def test_one_hot_rows_with_a_minus_inf_logit_where_y_is_0():
    z = np.array([[0.0, -np.inf, 1.0], [1.0, 2.0, 3.0]])
    labels = np.array([0, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # 0 * -inf would warn
        by_rows = CrossEntropy().forward(z, np.eye(3)[labels])
    assert by_rows == CrossEntropy().forward(z, labels)
    assert np.isfinite(by_rows)


def test_one_hot_rows_with_a_minus_inf_logit_where_y_is_not_0():
    z = np.array([[0.0, -np.inf]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=re.escape(
                "logits contains NaN or infinite values (1 of 2).")):
            CrossEntropy().forward(z, np.array([[0.5, 0.5]]))


def test_the_gradient_reader_returns_the_model_gradients():
    model = Sequential([Dense(3, 4, rng=0), ReLU(), Dense(4, 2, rng=1)])
    loss = CrossEntropy()
    loss.forward(model.forward(np.ones((5, 3))), np.zeros(5, int))
    model.backward(loss.backward())
    read = _gradient_reader(model)
    assert [id(g) for g in read()] == [id(g) for g in model.gradients()]
    assert len(read()) == 4


class OwnParameters(Module):
    """A module that lists its parameters itself, not through param_names."""

    def __init__(self):
        self.M = np.ones((2, 2))
        self.dM = None

    def forward(self, x):
        self.x = x
        return x @ self.M

    def backward(self, grad_out):
        self.dM = self.x.T @ grad_out
        return grad_out @ self.M.T

    def parameters(self):
        return [self.M]

    def gradients(self):
        return [self.dM]


def test_a_module_with_its_own_parameters_keeps_its_own_gradients():
    model = OwnParameters()
    assert _gradient_reader(model) == model.gradients
    X, y = np.ones((4, 2)), np.zeros(4, int)
    fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=2, batch_size=2)
    assert not np.array_equal(model.M, np.ones((2, 2)))   # it trained


def test_the_optimizer_still_refuses_a_list_changed_in_place():
    layer, other = Dense(2, 2, rng=0), Dense(2, 2, rng=1)
    params, grads = layer.parameters(), [np.ones((2, 2)), np.ones(2)]
    optimizer = SGD(0.1, momentum=0.9)
    optimizer.step(params, grads)
    params[0] = other.W                           # the same list object
    with pytest.raises(ValueError, match="other parameter arrays"):
        optimizer.step(params, grads)


def test_the_optimizer_refuses_a_gradient_list_that_shrinks_later():
    W, b = np.zeros((2, 2)), np.zeros(2)
    optimizer = SGD(0.1)
    optimizer.step([W, b], [np.ones((2, 2)), np.ones(2)])
    with pytest.raises(ValueError, match="^got 2 parameters but 1 gradients"):
        optimizer.step([W, b], [np.ones((2, 2))])
    with pytest.raises(ValueError, match="^got 2 parameters but 3 gradients"):
        optimizer.step([W, b], [np.ones((2, 2)), np.ones(2), np.ones(2)])


def test_repr_of_adam_and_adamw_with_and_without_decay():
    assert repr(Adam()) == "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(AdamW(weight_decay=0.0)) == (
        "AdamW(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0.0)")
    assert repr(SGD(0.5, 0.9)) == "SGD(lr=0.5, momentum=0.9)"



# --- Tensor: survivors of the mutation run after the Tensor speed-up -----------

def test_tensor_negation_is_one_product_with_a_constant():
    from nnbook import Tensor
    t = Tensor(np.ones((2, 2)))
    n = -t
    assert n.op == "*" and n.inputs[0] is t
    assert n.inputs[1].op == "" and not n.inputs[1].inputs   # no ** node
    assert len(n.topological_order()) == 3


@pytest.mark.parametrize("other", [3, 3.0, np.float32(3.0), [1.0, 2.0],
                                   np.array([1.0, 2.0])])
def test_tensor_minus_a_constant_of_any_real_kind(other):
    from nnbook import Tensor
    t = Tensor(np.ones((2, 2)))
    out = t - other
    np.testing.assert_array_equal(out.data, np.ones((2, 2)) - np.asarray(other))
    out.sum().backward()
    np.testing.assert_array_equal(t.grad, np.ones((2, 2)))


def test_tensor_sum_over_a_tuple_with_the_first_axis_counted_from_the_end():
    from nnbook import Tensor
    t = Tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(t.sum(axis=(-2,)).data, [3.0, 5.0, 7.0])
    np.testing.assert_array_equal(t.sum(axis=(-2, -1)).data, 15.0)


def test_fit_reads_a_sequential_s_gradients_through_its_pairs():
    model = Sequential([Dense(3, 4, rng=0), ReLU(), Dense(4, 2, rng=1)])
    assert _gradient_reader(model) != model.gradients      # the quick path


def test_a_loss_that_turns_nan_by_itself_is_named_in_the_divergence():
    from nnbook import MSE

    class NaNFrom(MSE):
        calls = 0

        def forward(self, pred, target):
            self.calls += 1
            value = super().forward(pred, target)
            return float("nan") if self.calls > 3 else value

    X, y = np.ones((4, 2)), np.zeros((4, 1))
    with pytest.raises(FloatingPointError, match=re.escape(
            "training diverged at epoch 2, batch 1 (the loss is nan).")):
        fit(Dense(2, 1, rng=0), NaNFrom(), SGD(0.1), X, y, epochs=3,
            batch_size=2)


@pytest.mark.parametrize("shape", [(2,), (2, 3, 4), (0, 3), (2, 0)])
def test_cross_entropy_names_logits_that_are_not_a_batch_of_rows(shape):
    target = np.zeros(shape[0], int)
    with pytest.raises(ValueError, match=r"^logits must (be 2-D|hold at least 1)"):
        CrossEntropy().forward(np.zeros(shape), target)


def test_the_whole_message_of_softmax_on_1d_input():
    # Exact text (the size pass split it over two string literals).
    with pytest.raises(ValueError) as info:
        Softmax().forward(np.zeros(3))
    assert str(info.value) == ("Softmax expects 2-D input of shape (batch, "
                               "n_classes), got shape (3,).")


def test_cross_entropy_reused_on_batches_of_other_sizes_and_class_counts():
    # CrossEntropy keeps each row's start in z.ravel() between batches; a
    # batch of another size or another number of classes recomputes them.
    rng = np.random.default_rng(3)
    reused = CrossEntropy()
    for n, n_classes in [(4, 3), (4, 5), (2, 5), (6, 2), (6, 2), (1, 7)]:
        z = rng.standard_normal((n, n_classes))
        labels = rng.integers(0, n_classes, size=n)
        fresh = CrossEntropy()
        assert reused.forward(z, labels) == fresh.forward(z, labels)
        np.testing.assert_array_equal(reused.backward(), fresh.backward())
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        expected = -np.log(p[np.arange(n), labels]).mean()
        assert reused.forward(z, labels) == pytest.approx(expected, rel=1e-12)
        dz = p.copy()
        dz[np.arange(n), labels] -= 1
        np.testing.assert_allclose(reused.backward(), dz / n, rtol=1e-12)
