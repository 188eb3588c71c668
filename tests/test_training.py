"""fit and the optimizers: learning, reproducibility, batches, history, dtypes."""

import re
import traceback
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
    Identity,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    datasets,
    fit,
)
from nnbook.training import _number


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
    assert sizes == [4] + [4, 4, 2] * 2          # first: fit's check of y


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
    assert seen[:3] == [0, 1, 2]                 # fit's check: the first batch
    seen = seen[3:]
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


class PoisonFrom(Identity):
    """Identity until its ``start``-th forward call, then outputs ``value``.

    NaN and inf that come in from outside make no NumPy error (only an
    operation that creates them does), so this is what fit's loss check
    alone must catch.
    """

    def __init__(self, start, value):
        super().__init__()
        self.start, self.value, self.calls = start, value, 0

    def forward(self, z):
        self.calls += 1
        out = super().forward(z)
        return out if self.calls < self.start else np.full_like(out, self.value)


def test_a_divergence_on_the_validation_data_is_one_line_too():
    # One batch: its loss is computed before the update, which makes W huge;
    # the validation data, 1e150, then overflow.
    X, y = np.ones((1, 1)), np.zeros((1, 1))
    X_val = np.full((1, 1), 1e150)
    with pytest.raises(FloatingPointError) as info:
        fit(Dense(1, 1, rng=0), MSE(), SGD(1e159), X, y, epochs=2, batch_size=1,
            validation_data=(X_val, y), rng=0)
    error = info.value
    assert str(error).startswith("training diverged at epoch 1, on the "
                                 "validation data (")
    assert "Try a smaller learning rate (the optimizer is SGD(lr=1e+159" in str(error)
    assert error.__cause__ is None and error.__suppress_context__
    assert "\n" not in str(error) and len(str(error)) < 200


@pytest.mark.parametrize("value", [np.inf, np.nan])
def test_a_non_finite_validation_output_is_named(value):
    # forward calls: the checks of X and of X_val, one training batch, then
    # the validation of epoch 1, whose output is poisoned.
    X, y = np.ones((4, 1)), np.zeros((4, 1))
    model = Sequential([Dense(1, 1, rng=0), PoisonFrom(4, value)])
    with pytest.raises(FloatingPointError) as info:
        fit(model, MSE(), SGD(0.1), X, y, epochs=1, batch_size=4,
            validation_data=(X, y), rng=0)
    assert str(info.value).startswith(
        "training diverged at epoch 1, on the validation data (the network's "
        "output is not finite). Try a smaller learning rate")


@pytest.mark.parametrize("value, shown", [(np.nan, "nan"), (np.inf, "inf"),
                                          (-np.inf, "inf")])
def test_a_nan_or_infinite_loss_stops_fit_naming_the_epoch(value, shown):
    # fit's first forward (its first batch) checks the targets; then 8
    # samples in batches of 4: the 6th forward is epoch 3, batch 1.
    X, y = np.random.default_rng(0).standard_normal((8, 3)), np.zeros((8, 1))
    poison = PoisonFrom(6, value)
    model = Sequential([Dense(3, 1, rng=0), poison])
    before = [p.copy() for p in model.parameters()]
    optimizer = SGD(0.1)
    steps = []
    optimizer.update = lambda params, grads: steps.append(1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FloatingPointError) as info:
            fit(model, MSE(), optimizer, X, y, epochs=5, batch_size=4, rng=0)
    message = str(info.value)
    assert message == (
        f"training diverged at epoch 3, batch 1 (the network's output is "
        f"not finite). "
        f"Try a smaller learning rate (the optimizer is "
        f"SGD(lr=0.1, momentum=0.0))."
    )
    assert len(steps) == 4              # no step was taken on the bad batch
    assert poison.calls == 6
    assert all(np.array_equal(p, q) for p, q in zip(model.parameters(), before))


def test_nan_weights_are_refused_before_training():
    X, y = np.ones((6, 2)), np.zeros((6, 1))
    model = Dense(2, 1, rng=0)
    model.W[0, 0] = np.nan
    with pytest.raises(ValueError,
                       match=r"^the model's output on the first batch of X is not "
                             r"finite before "
                             r"training \(it holds NaN or infinite values\): "
                             r"check its weights and layers\.$"):
        fit(model, MSE(), SGD(0.1), X, y, epochs=3, batch_size=2, rng=0)


def test_fit_checks_every_label_in_the_first_epoch():
    X = np.zeros((10, 2))
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 5])  # one label out of range
    model = Dense(2, 3, rng=0)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=2, batch_size=3, rng=0)


def test_validation_data_with_other_features_is_refused():
    X, y = np.zeros((8, 3)), np.zeros((8, 1))
    model = Dense(3, 1, rng=0)
    with pytest.raises(ValueError, match=re.escape(
            "X_val must hold samples of the shape of those of X, (3,) (X has "
            "shape (8, 3)), got X_val of shape (4, 2).")):
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

@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: SGD(0.1, momentum=0.9),
                                  lambda: Adam(0.01)], ids=["SGD", "momentum", "Adam"])
def test_a_float32_model_stays_float32_through_fit(make):
    X, y = blobs()                                       # float64 data
    model = small_classifier(0, dtype=np.float32)
    history = fit(model, CrossEntropy(), make(), X, y, epochs=3, batch_size=8,
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


# --- what fit hands to the model, the loss and the optimizer -------------------------

class Recorder(Identity):
    """Identity that records the dtype of every input it sees."""

    def __init__(self):
        super().__init__()
        self.dtypes = []

    def forward(self, z):
        self.dtypes.append(z.dtype)
        return super().forward(z)


class RecordingMSE(MSE):
    """MSE that records the target dtype of each call."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def forward(self, pred, target):
        self.calls.append(np.asarray(target).dtype)
        return super().forward(pred, target)


class RecordingDense(Dense):
    """Dense that records its ``input_grad`` and result at every backward."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.input_grads = []

    def backward(self, dZ):
        dX = super().backward(dZ)
        self.input_grads.append((self.input_grad, dX is None))
        return dX


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fit_converts_the_data_once_to_the_model_dtype(dtype):
    rng = np.random.default_rng(0)
    X = rng.integers(-3, 3, (10, 2))                         # integer data
    y = rng.standard_normal((10, 1))                         # float64 targets
    recorder = Recorder()
    model = Sequential([recorder, Dense(2, 1, rng=0, dtype=dtype)])
    loss = RecordingMSE()
    fit(model, loss, SGD(0.01), X, y, epochs=2, batch_size=4, rng=0,
        validation_data=(X, y))
    assert recorder.dtypes and set(recorder.dtypes) == {np.dtype(dtype)}
    assert set(loss.calls) == {np.dtype(dtype)}


def test_fit_leaves_integer_labels_alone():
    X, y = blobs()
    seen = []

    class Labels(CrossEntropy):
        def forward(self, logits, target):
            seen.append(target.dtype)
            return super().forward(logits, target)

    fit(small_classifier(0, np.float32), Labels(), SGD(0.1), X, y, epochs=1,
        batch_size=8, rng=0)
    assert set(seen) == {y.dtype}


def test_every_target_is_checked_before_the_first_update():
    X, y = np.zeros((10, 2)), np.zeros((10, 1))
    y[-1] = np.nan                                  # in the last batch
    y_val = np.zeros(4, dtype=int) + 7              # labels out of range
    model = Dense(2, 3, rng=0)
    before = model.W.copy()
    with pytest.raises(ValueError, match=r"^y contains NaN"):
        fit(model, MSE(), SGD(0.1), X, y, epochs=3, batch_size=4, rng=0)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        fit(model, CrossEntropy(), SGD(0.1), X, np.zeros(10, dtype=int),
            epochs=3, batch_size=4, rng=0,
            validation_data=(np.zeros((4, 2)), y_val))
    np.testing.assert_array_equal(model.W, before)
    assert model.dW is None and model.training and model.input_grad


def test_training_never_computes_the_gradient_of_the_data():
    X, y = blobs()
    first, second = RecordingDense(4, 6, rng=0), RecordingDense(6, 3, rng=1)
    fit(Sequential([first, ReLU(), second]), CrossEntropy(), SGD(0.1), X, y,
        epochs=1, batch_size=10, rng=0)
    assert first.input_grads == [(False, True)] * 3   # dL/dX is skipped ...
    assert second.input_grads == [(True, False)] * 3  # ... only for layer 0
    assert first.input_grad                          # and restored after fit


def test_the_default_batch_size_is_32():
    X, y = np.zeros((33, 2)), np.zeros((33, 1))
    optimizer = CountingSGD(0.1)
    fit(Dense(2, 1, rng=0), MSE(), optimizer, X, y, epochs=1, rng=0)
    assert optimizer.steps == 2                     # 32, then the last 1


def test_fit_prints_nothing_by_default(capsys):
    X, y = blobs()
    fit(small_classifier(0), CrossEntropy(), SGD(0.1), X, y, epochs=2, rng=0,
        validation_data=(X, y))
    assert capsys.readouterr().out == ""


def test_the_epoch_loss_is_the_mean_over_every_sample():
    # With steps that change nothing, every batch sees the same weights, so
    # the epoch's loss is the loss of the whole data set: batches of 4, 4, 2
    # weighted by their sizes.
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((10, 3)), rng.standard_normal((10, 2))
    model = Dense(3, 2, rng=0)
    optimizer = SGD(0.1)
    optimizer.update = lambda params, grads: None
    history = fit(model, MSE(), optimizer, X, y, epochs=2, batch_size=4,
                  rng=0)
    expected = MSE().forward(model.forward(X), y)
    assert history["loss"] == [pytest.approx(expected, rel=1e-12)] * 2


def test_a_model_without_parameters_reports_its_loss():
    X, y = np.ones((5, 2)), np.zeros((5, 2))
    history = fit(Sequential([Identity()]), MSE(), SGD(0.1), X, y, epochs=2,
                  batch_size=2, rng=0)
    assert history["loss"] == [1.0, 1.0]


class Log(Identity):
    def forward(self, z):
        return np.log(super().forward(z))


class Sqrt(Identity):
    def forward(self, z):
        return np.sqrt(super().forward(z))


@pytest.mark.parametrize("module, what", [
    (Log, "divide by zero encountered in log"),      # log(0)
    (Sqrt, "invalid value encountered in sqrt"),     # sqrt(-1)
])
def test_a_nan_or_inf_made_by_a_layer_stops_fit_without_a_warning(module,
                                                                what):
    layer = Dense(1, 1, rng=0)
    layer.W[...] = 0.0
    layer.b[...] = 0.0 if module is Log else -1.0
    X, y = np.ones((4, 1)), np.zeros((4, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                 # no RuntimeWarning
        with pytest.raises(ValueError,
                           match=rf"^the model's output on the first batch of "
                                 rf"X is not finite before training \({what}\)"):
            fit(Sequential([layer, module()]), MSE(), SGD(0.1), X, y,
                epochs=1, batch_size=4, rng=0)


def test_fit_does_not_copy_targets_already_in_the_model_dtype():
    X, y = np.zeros((6, 2)), np.zeros((6, 1))
    seen = []

    class Spy(MSE):
        def forward(self, pred, target):
            seen.append(target)
            return super().forward(pred, target)

    fit(Dense(2, 1, rng=0), Spy(), SGD(0.1), X, y, epochs=0, batch_size=6)
    assert np.shares_memory(seen[0], y)        # fit's check reads y itself



# --- divergence reports one short line (issue 16) ------------------------------------------

def test_divergence_is_one_line_without_a_chained_exception():
    model, X, y = _diverging_problem()
    with pytest.raises(FloatingPointError) as info:
        fit(model, MSE(), SGD(10.0), X, y, epochs=50, batch_size=4, rng=0)
    error = info.value
    assert error.__cause__ is None and error.__suppress_context__
    shown = "".join(traceback.format_exception_only(type(error), error))
    assert "\n" not in shown.rstrip("\n") and len(shown) < 200
    assert "direct cause" not in "".join(traceback.format_exception(error))


@pytest.mark.parametrize("value, shown", [
    (0.12345, "0.1235"), (28512.30004, "28512.3000"), (999999.0, "999999.0000"),
    (1e6, "1e+06"), (-3.5e9, "-3.5e+09"), (1.234567e270, "1.235e+270"),
    (np.inf, "inf"), (np.nan, "nan")])
def test_fit_prints_numbers_short(value, shown):
    assert _number(value) == shown


def test_a_huge_loss_is_printed_with_a_few_digits(capsys):
    X, y = np.ones((4, 1)), np.full((4, 1), 1e140)
    fit(Dense(1, 1, rng=0), MSE(), SGD(1e-300), X, y, epochs=1, batch_size=4,
        verbose=1, validation_data=(X, y))
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(r"epoch 1/1  loss 1e\+280  val_loss 1e\+280", line), line


@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
def test_non_finite_logits_in_fit_are_divergence_without_a_warning(value):
    # fit's loss skips the look for +inf before the shift (inf - inf raises
    # under fit's errstate): the message is the same as for any output.
    X, y = np.random.default_rng(0).standard_normal((8, 3)), np.zeros(8, int)
    model = Sequential([Dense(3, 2, rng=0), PoisonFrom(4, value)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FloatingPointError) as info:
            fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=3, batch_size=4)
    assert str(info.value) == (
        "training diverged at epoch 2, batch 1 (the network's output is not "
        "finite). Try a smaller learning rate (the optimizer is "
        "SGD(lr=0.1, momentum=0.0)).")
