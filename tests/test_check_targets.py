"""Loss.check_targets: fit checks every target once, then trains without the
per-batch checks of the targets; the checks of the predictions stay on."""

import numpy as np
import pytest

from nnbook import (MSE, SGD, BinaryCrossEntropy, CrossEntropy, Dense, Loss,
                    Sigmoid, Sequential, fit)


def test_on_by_default():
    assert Loss.check_targets is True
    for loss in (MSE(), BinaryCrossEntropy(), CrossEntropy()):
        assert loss.check_targets is True


def test_cross_entropy_labels_checked_only_when_on():
    z = np.zeros((2, 3))
    loss = CrossEntropy()
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        loss.forward(z, np.array([0, -1]))
    loss.check_targets = False
    assert loss.forward(z, np.array([0, 2])) == pytest.approx(np.log(3))
    loss.forward(z, np.array([0, -1]))      # unchecked: fit checked them first


def test_cross_entropy_one_hot_rows_checked_only_when_on():
    z = np.zeros((2, 3))
    bad = np.array([[0.5, 0.0, 0.0], [0.0, 1.0, 0.0]])  # a row sums to 0.5
    loss = CrossEntropy()
    with pytest.raises(ValueError, match="must each sum to 1"):
        loss.forward(z, bad)
    with pytest.raises(ValueError, match="target contains NaN"):
        loss.forward(z, np.array([[np.nan, 0.0, 1.0], [0.0, 1.0, 0.0]]))
    loss.check_targets = False
    assert np.isfinite(loss.forward(z, bad))
    with pytest.raises(ValueError, match=r"pred has shape \(2, 3\) but target "
                                         r"has shape \(2, 2\)"):
        loss.forward(z, np.zeros((2, 2)))     # shapes are always checked


def test_binary_cross_entropy_target_range_checked_only_when_on():
    p, y = np.full((2, 1), 0.5), np.array([[0.0], [2.0]])
    loss = BinaryCrossEntropy()
    with pytest.raises(ValueError, match=r"target must be in \[0, 1\]"):
        loss.forward(p, y)
    loss.check_targets = False
    assert loss.forward(p, y) == pytest.approx(np.log(2))   # any y at p = 0.5
    with pytest.raises(ValueError, match="pred must be probabilities"):
        loss.forward(np.full((2, 1), 1.5), np.zeros((2, 1)))  # pred: always


class Recording(MSE):
    """MSE that records check_targets at every forward."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, pred, target):
        self.seen.append((self.check_targets, len(target)))
        return super().forward(pred, target)


def test_fit_checks_first_then_trains_unchecked_and_restores():
    X, y = np.ones((6, 2)), np.zeros((6, 1))
    loss = Recording()
    fit(Dense(2, 1, rng=0), loss, SGD(0.1), X, y, epochs=2, batch_size=3,
        validation_data=(X[:2], y[:2]))
    # all of X, then all of X_val checked in one call each; then 2 epochs of
    # 2 batches and 1 validation each, unchecked
    assert loss.seen == [(True, 6), (True, 2)] + [(False, 3), (False, 3),
                                                  (False, 2)] * 2
    assert loss.check_targets is True


def test_fit_leaves_check_targets_off_if_it_was_off():
    loss = Recording()
    loss.check_targets = False
    fit(Dense(2, 1, rng=0), loss, SGD(0.1), np.ones((4, 2)), np.zeros((4, 1)),
        epochs=1, batch_size=4)
    assert loss.check_targets is False


def test_fit_restores_check_targets_after_divergence():
    X = np.full((8, 2), 1e3)
    y = np.zeros((8, 1))
    loss = MSE()
    with pytest.raises(FloatingPointError, match="training diverged"):
        fit(Dense(2, 1, rng=0), loss, SGD(1e6), X, y, epochs=50, batch_size=4)
    assert loss.check_targets is True


def test_fit_still_refuses_a_bad_label_before_training():
    X = np.zeros((6, 2))
    y = np.array([0, 1, 0, 1, 0, 7])
    model = Dense(2, 3, rng=0)
    W = model.W.copy()
    loss = CrossEntropy()
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        fit(model, loss, SGD(0.1), X, y, epochs=1, batch_size=2)
    np.testing.assert_array_equal(model.W, W)
    assert loss.check_targets is True


def test_fit_still_sees_predictions_leave_the_probabilities():
    # Without a Sigmoid the output starts in [0, 1] and then leaves it: the
    # prediction's check stays on while fit trains.
    X = np.full((4, 1), 0.5)
    y = np.ones((4, 1))
    model = Sequential([Dense(1, 1, rng=0)])
    model.layers[0].W[...] = 0.0
    model.layers[0].b[...] = 0.9
    with pytest.raises(ValueError, match="pred must be probabilities"):
        fit(model, BinaryCrossEntropy(), SGD(10.0), X, y, epochs=5,
            batch_size=4)


def test_fit_with_sigmoid_and_bce_trains():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([[0.0], [0.0], [1.0], [1.0]])
    model = Sequential([Dense(1, 1, rng=0), Sigmoid()])
    h = fit(model, BinaryCrossEntropy(), SGD(1.0), X, y, epochs=30,
            batch_size=2, rng=0)
    assert h["loss"][-1] < h["loss"][0]


@pytest.mark.parametrize("loss, y, y_val, message", [
    (CrossEntropy(), np.array([0, 1] * 5), np.array([0, 1, 0, 1, 0, 3]),
     r"labels must be in \[0, 2\)"),
    (BinaryCrossEntropy(), np.zeros((10, 2)), np.r_[np.zeros((5, 2)), [[0, 2]]],
     r"target must be in \[0, 1\]"),
    (MSE(), np.zeros((10, 2)), np.zeros((6, 3)),
     r"pred has shape \(6, 2\) but target has shape \(6, 3\)"),
])
def test_fit_refuses_a_bad_late_validation_target_before_any_update(
        loss, y, y_val, message):
    # The model runs on the first batch only; the target checks read every
    # row of y and y_val (here the bad one is in the last validation batch).
    X, X_val = np.zeros((10, 3)), np.zeros((6, 3))
    layers = [Dense(3, 2, rng=0)]
    if isinstance(loss, BinaryCrossEntropy):
        layers.append(Sigmoid())
    model = Sequential(layers)
    before = [p.copy() for p in model.parameters()]
    with pytest.raises(ValueError, match=message):
        fit(model, loss, SGD(0.1), X, y, epochs=1, batch_size=2,
            validation_data=(X_val, y_val))
    assert all(np.array_equal(p, q) for p, q in zip(model.parameters(), before))
    assert loss.check_targets is True


def test_fit_checks_targets_against_a_repeated_row_of_the_real_output():
    # The stand-in for the predictions is the first output row, repeated:
    # a BCE model without a Sigmoid is refused before training.
    X, y = np.full((6, 1), 3.0), np.ones((6, 1))
    model = Sequential([Dense(1, 1, rng=0)])
    model.layers[0].W[...], model.layers[0].b[...] = 1.0, 0.0   # output 3
    with pytest.raises(ValueError, match="pred must be probabilities"):
        fit(model, BinaryCrossEntropy(), SGD(0.1), X, y, epochs=1, batch_size=2)
    assert model.layers[0].W[0, 0] == 1.0
