"""fit and the optimizers: learning, reproducibility, batches, history, dtypes."""

import re
import warnings

import numpy as np
import pytest

from nnbook import (
    MSE,
    SGD,
    Adam,
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    datasets,
    fit,
)


def xor_net(seed):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(2, 4, init="xavier", rng=rng), Tanh(),
                       Dense(4, 1, init="xavier", rng=rng), Sigmoid()])


def small_classifier(seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(4, 6, rng=rng, dtype=dtype), ReLU(),
                       Dense(6, 3, rng=rng, dtype=dtype)])


def blobs(n=30, seed=0):
    """Three separable clusters in 4-D with integer labels."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    X = rng.standard_normal((n, 4)) + 3 * np.eye(3, 4)[y]
    return X, y


class CountingSGD(SGD):
    """SGD that records the batch size of every step it takes."""

    def __init__(self, lr):
        super().__init__(lr)
        self.steps = 0

    def step(self, params, grads):
        self.steps += 1
        super().step(params, grads)


# --- learning -------------------------------------------------------------------------

def test_xor_is_learned():
    X, y = datasets.xor()
    model = xor_net(0)
    history = fit(model, BinaryCrossEntropy(), SGD(0.5), X, y, epochs=2000,
                  batch_size=4, rng=0)
    assert np.array_equal(np.round(model.forward(X)), [[0], [1], [1], [0]])
    assert history["loss"][-1] < 0.05 < history["loss"][0]


@pytest.fixture(scope="module")
def digits():
    return datasets.digits(rng=0)


def test_digits_reach_97_percent(digits):
    rng = np.random.default_rng(0)
    model = Sequential([Dense(64, 64, rng=rng), ReLU(), Dense(64, 10, rng=rng)])
    loss = CrossEntropy()
    history = fit(model, loss, SGD(0.1), digits.X_train, digits.y_train,
                  epochs=30, batch_size=32, rng=1,
                  validation_data=(digits.X_test, digits.y_test))
    accuracy = np.mean(model.forward(digits.X_test).argmax(axis=1)
                       == digits.y_test)
    assert accuracy >= 0.97
    assert history["val_accuracy"][-1] == pytest.approx(accuracy)
    assert history["loss"][-1] < history["loss"][0] / 5


# --- reproducibility -------------------------------------------------------------------

def _train(seed):
    X, y = blobs()
    model = small_classifier(seed)
    fit(model, CrossEntropy(), Adam(0.01), X, y, epochs=5, batch_size=7, rng=seed)
    return model.parameters()


def test_the_same_seed_gives_bit_identical_weights():
    first, second = _train(3), _train(3)
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    other = _train(4)
    assert not all(np.array_equal(a, b) for a, b in zip(first, other))


def test_the_shuffling_seed_matters():
    X, y = blobs()
    weights = []
    for shuffle_seed in (0, 1):
        model = small_classifier(5)
        fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=2, batch_size=5,
            rng=shuffle_seed)
        weights.append(model.parameters()[0].copy())
    assert not np.array_equal(*weights)


# --- history ----------------------------------------------------------------------------

def test_history_without_validation():
    X, y = blobs()
    history = fit(small_classifier(0), CrossEntropy(), SGD(0.1), X, y,
                  epochs=4, batch_size=8, rng=0)
    assert set(history) == {"loss"}
    assert len(history["loss"]) == 4
    assert all(isinstance(v, float) and np.isfinite(v) for v in history["loss"])


def test_history_with_validation_data():
    X, y = blobs(seed=0)
    X_val, y_val = blobs(n=12, seed=1)
    model, loss = small_classifier(0), CrossEntropy()
    history = fit(model, loss, SGD(0.1), X, y, epochs=3, batch_size=8, rng=0,
                  validation_data=(X_val, y_val))
    assert set(history) == {"loss", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in history.values())
    # The last entries describe the final model.
    out = model.forward(X_val)
    assert history["val_loss"][-1] == pytest.approx(loss.forward(out, y_val))
    assert history["val_accuracy"][-1] == pytest.approx(
        np.mean(out.argmax(axis=1) == y_val))


def test_history_of_a_regression_has_no_accuracy():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 3)), rng.standard_normal((20, 2))
    model = Sequential([Dense(3, 2, rng=0)])
    history = fit(model, MSE(), SGD(0.01), X, y, epochs=2, rng=0,
                  validation_data=(X[:5], y[:5]))
    assert set(history) == {"loss", "val_loss"}


def test_epoch_loss_of_a_full_batch_is_the_loss_before_the_step():
    X, y = blobs()
    model, loss = small_classifier(2), CrossEntropy()
    before = loss.forward(model.forward(X), y)
    history = fit(model, loss, SGD(0.1), X, y, epochs=1, batch_size=len(X), rng=0)
    assert history["loss"][0] == pytest.approx(before, rel=1e-12)
    assert loss.forward(model.forward(X), y) < before


# --- batches ---------------------------------------------------------------------------

def test_fit_keeps_the_last_partial_batch():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((10, 3)), rng.standard_normal((10, 1))
    model = Sequential([Dense(3, 1, rng=0)])
    sizes = []
    original_forward = model.forward

    def recording_forward(X_batch):
        sizes.append(len(X_batch))
        return original_forward(X_batch)

    model.forward = recording_forward
    optimizer = CountingSGD(0.01)
    fit(model, MSE(), optimizer, X, y, epochs=2, batch_size=4, rng=0)
    assert optimizer.steps == 6                  # 3 per epoch: 4, 4 and 2
    assert sizes == [4, 4, 2, 4, 4, 2]


def test_each_epoch_sees_every_sample_once():
    X = np.arange(10.0).reshape(10, 1)
    y = np.zeros((10, 1))
    model = Sequential([Dense(1, 1, rng=0)])
    seen = []
    original_forward = model.forward

    def recording_forward(X_batch):
        seen.extend(X_batch.ravel().tolist())
        return original_forward(X_batch)

    model.forward = recording_forward
    fit(model, MSE(), SGD(0.01), X, y, epochs=2, batch_size=3, rng=0)
    assert sorted(seen[:10]) == list(range(10)) == sorted(seen[10:])
    assert seen[:10] != list(range(10)) or seen[10:] != list(range(10))  # shuffled


def test_zero_epochs_change_nothing():
    X, y = blobs()
    model = small_classifier(0)
    saved = [p.copy() for p in model.parameters()]
    optimizer = CountingSGD(0.1)
    history = fit(model, CrossEntropy(), optimizer, X, y, epochs=0, rng=0,
                  validation_data=(X, y))
    assert history["loss"] == [] and history.get("val_loss", []) == []
    assert all(v == [] for v in history.values())
    assert optimizer.steps == 0
    assert all(np.array_equal(p, s) for p, s in zip(model.parameters(), saved))
    assert fit(model, CrossEntropy(), optimizer, X, y, epochs=0) == {"loss": []}


# --- verbose ---------------------------------------------------------------------------

def _verbose_run(verbose, epochs, capsys):
    X, y = blobs()
    fit(small_classifier(0), CrossEntropy(), SGD(0.1), X, y, epochs=epochs,
        batch_size=8, rng=0, validation_data=(X, y), verbose=verbose)
    return capsys.readouterr().out


def test_verbose_prints_deterministic_lines(capsys):
    out = _verbose_run(1, 3, capsys)
    lines = out.splitlines()
    assert len(lines) == 3
    pattern = (r"epoch\s*(\d+)/3\b.*\bloss \d+\.\d+.*\bval_loss \d+\.\d+"
               r".*\bval_accuracy \d\.\d+")
    assert [int(re.fullmatch(pattern, line).group(1)) for line in lines] == [1, 2, 3]
    assert _verbose_run(1, 3, capsys) == out


def test_verbose_every_k_epochs_and_the_last(capsys):
    out = _verbose_run(2, 5, capsys)
    epochs = [int(re.match(r"epoch\s*(\d+)/5", line).group(1))
              for line in out.splitlines()]
    assert epochs == [2, 4, 5]
    assert _verbose_run(0, 2, capsys) == ""


# --- divergence -------------------------------------------------------------------------

def _diverging_problem():
    rng = np.random.default_rng(0)
    X, y = 10 * rng.standard_normal((16, 3)), 100 * rng.standard_normal((16, 1))
    model = Sequential([Dense(3, 8, init="normal", rng=0), Dense(8, 1, rng=1)])
    return model, X, y


def test_a_diverging_fit_raises():
    model, X, y = _diverging_problem()
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError,
                                                  match="diverged"):
        fit(model, MSE(), SGD(10.0), X, y, epochs=50, batch_size=4, rng=0)


def test_divergence_names_the_epoch_without_a_numpy_warning():
    model, X, y = _diverging_problem()
    before = np.geterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail here
        with pytest.raises(FloatingPointError,
                           match=r"epoch \d+, batch \d+.*smaller learning rate"):
            fit(model, MSE(), SGD(10.0), X, y, epochs=50, batch_size=4, rng=0)
    assert np.geterr() == before  # fit restores NumPy's error settings


def test_fit_checks_every_label_in_the_first_epoch():
    X = np.zeros((10, 2))
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 5])  # one label out of range
    model = Dense(2, 3, rng=0)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=2, batch_size=3, rng=0)


def test_check_false_skips_the_target_checks_only():
    logits, labels = np.zeros((2, 3)), np.array([0, 7])
    with pytest.raises(ValueError, match="labels must be in"):
        CrossEntropy().forward(logits, labels)
    with pytest.raises(IndexError):  # unchecked: NumPy's own indexing error
        CrossEntropy().forward(logits, labels, check=False)
    assert MSE().forward(np.ones((2, 1)), np.zeros((2, 1)), check=False) == 1.0


def test_validation_data_with_other_features_is_refused():
    X, y = np.zeros((8, 3)), np.zeros((8, 1))
    model = Dense(3, 1, rng=0)
    with pytest.raises(ValueError, match="X_val must have the 3 features of X, got 2"):
        fit(model, MSE(), SGD(0.1), X, y, epochs=1,
            validation_data=(np.zeros((4, 2)), np.zeros((4, 1))))


# --- optimizers: one step by hand --------------------------------------------------------

def test_sgd_step():
    p = np.array([1.0, -2.0])
    SGD(0.1).step([p], [np.array([0.5, 1.0])])
    assert np.allclose(p, [0.95, -2.1], rtol=0, atol=1e-15)


def test_sgd_momentum_steps():
    p = np.array([1.0, -2.0])
    g1, g2 = np.array([0.5, 1.0]), np.array([-1.0, 2.0])
    opt = SGD(0.1, momentum=0.9)
    opt.step([p], [g1])
    assert np.allclose(p, [1.0 - 0.1 * 0.5, -2.0 - 0.1 * 1.0], rtol=0, atol=1e-15)
    opt.step([p], [g2])
    v2 = 0.9 * g1 + g2                    # v = mu v + g, then p -= lr v
    assert np.allclose(p, np.array([0.95, -2.1]) - 0.1 * v2, rtol=0, atol=1e-15)


def test_adam_steps():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    p0 = np.array([1.0, -2.0, 0.5])
    g1, g2 = np.array([0.5, -1.0, 0.0]), np.array([0.2, 3.0, -1e-3])
    p = p0.copy()
    opt = Adam(lr, b1, b2, eps)
    opt.step([p], [g1])
    # Step 1: m_hat = g and v_hat = g**2, so the step is lr * g / (|g| + eps).
    assert np.allclose(p, p0 - lr * g1 / (np.abs(g1) + eps), rtol=0, atol=1e-15)
    p1 = p.copy()
    opt.step([p], [g2])
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    m_hat, v_hat = m / (1 - b1**2), v / (1 - b2**2)
    assert np.allclose(p, p1 - lr * m_hat / (np.sqrt(v_hat) + eps),
                       rtol=0, atol=1e-15)


def test_optimizers_update_in_place_and_keep_state_per_parameter():
    a, b = np.array([1.0]), np.array([1.0])
    opt = SGD(1.0, momentum=0.5)
    opt.step([a, b], [np.array([1.0]), np.array([0.0])])
    opt.step([a, b], [np.array([0.0]), np.array([1.0])])
    assert a[0] == 1.0 - 1.0 - 0.5 and b[0] == 1.0 - 1.0


def test_optimizer_reprs():
    assert repr(SGD(0.1)).startswith("SGD(") and "lr=0.1" in repr(SGD(0.1))
    assert "momentum=0.9" in repr(SGD(0.1, momentum=0.9))
    assert repr(Adam(0.01)).startswith("Adam(") and "lr=0.01" in repr(Adam(0.01))


# --- float32 ----------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", [SGD(0.1), SGD(0.1, momentum=0.9), Adam(0.01)],
                         ids=["SGD", "momentum", "Adam"])
def test_a_float32_model_stays_float32_through_fit(optimizer):
    X, y = blobs()                                       # float64 data
    model = small_classifier(0, dtype=np.float32)
    history = fit(model, CrossEntropy(), optimizer, X, y, epochs=3, batch_size=8,
                  rng=0, validation_data=(X, y))
    assert all(p.dtype == np.float32 for p in model.parameters())
    assert all(g.dtype == np.float32 for g in model.gradients())
    assert model.forward(X).dtype == np.float32
    assert history["loss"][-1] < history["loss"][0]


def test_a_float32_binary_model_stays_float32_through_fit():
    X, y = datasets.xor()
    rng = np.random.default_rng(0)
    model = Sequential([Dense(2, 4, init="xavier", rng=rng, dtype=np.float32), Tanh(),
                        Dense(4, 1, init="xavier", rng=rng, dtype=np.float32),
                        Sigmoid()])
    fit(model, BinaryCrossEntropy(), Adam(0.05), X, y, epochs=20, batch_size=2, rng=0)
    assert all(p.dtype == np.float32 for p in model.parameters())
    assert all(g.dtype == np.float32 for g in model.gradients())
    assert model.forward(X).dtype == np.float32
