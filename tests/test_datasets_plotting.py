"""nnbook.datasets (shapes, seeded splits, standardization) and nnbook.plotting."""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from nnbook import datasets

N_DIGITS = 1797


@pytest.fixture(scope="module")
def raw_digits():
    from sklearn.datasets import load_digits
    data = load_digits()
    return data.data.astype(np.float64), data.target


def test_importing_nnbook_loads_neither_sklearn_nor_matplotlib():
    root = Path(__file__).resolve().parents[1]
    code = ("import sys, nnbook, nnbook.datasets, nnbook.plotting; "
            "print(sorted(m for m in ('sklearn', 'matplotlib') if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- xor --------------------------------------------------------------------------

def test_xor_values():
    X, y = datasets.xor()
    assert np.array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert np.array_equal(y, [[0], [1], [1], [0]])
    assert X.dtype == y.dtype == np.float64
    assert np.array_equal(y[:, 0], np.logical_xor(X[:, 0], X[:, 1]))


# --- shapes ------------------------------------------------------------------------

def test_digits_shapes_and_labels():
    split = datasets.digits()
    assert split.X_train.shape == (1438, 64) and split.X_test.shape == (359, 64)
    assert split.y_train.shape == (1438,) and split.y_test.shape == (359,)
    assert split.X_train.dtype == np.float64
    assert split.y_train.dtype.kind in "iu"
    assert set(np.unique(split.y_train)) == set(range(10))
    assert len(split) == 4 and tuple(split)[3] is split.y_test   # a tuple


def test_diabetes_shapes():
    split = datasets.diabetes()
    assert split.X_train.shape == (354, 10) and split.X_test.shape == (88, 10)
    assert split.y_train.shape == (354, 1) and split.y_test.shape == (88, 1)
    assert 25 <= split.y_train.min() and split.y_train.max() <= 346   # own units


def test_moons_shapes_and_labels():
    split = datasets.moons()
    assert split.X_train.shape == (320, 2) and split.X_test.shape == (80, 2)
    assert split.y_train.shape == (320, 1) and split.y_test.shape == (80, 1)
    assert split.y_train.dtype == np.float64
    assert set(np.unique(split.y_train)) == {0.0, 1.0}


def test_test_size():
    split = datasets.digits(test_size=0.5)
    assert len(split.X_test) == round(0.5 * N_DIGITS)
    assert len(split.X_train) + len(split.X_test) == N_DIGITS


# --- seeded splits -------------------------------------------------------------------

@pytest.mark.parametrize("load", [datasets.digits, datasets.diabetes,
                                  datasets.moons])
def test_splits_are_seeded(load):
    first, again, other = load(rng=0), load(rng=0), load(rng=1)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first.X_train, other.X_train)
    assert not np.array_equal(first.y_test, other.y_test)


def test_a_generator_seeds_the_split_like_its_seed():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    a = datasets.train_test_split(X, y, 0.3, np.random.default_rng(5))
    b = datasets.train_test_split(X, y, 0.3, np.random.default_rng(5))
    c = datasets.train_test_split(X, y, 0.3, 5)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert all(np.array_equal(u, v) for u, v in zip(a, c))


def test_train_and_test_rows_do_not_overlap(raw_digits):
    index = np.arange(N_DIGITS)
    split = datasets.train_test_split(index, index, 0.2, 0)
    train, test = split.X_train, split.X_test
    assert np.intersect1d(train, test).size == 0
    assert np.array_equal(np.sort(np.concatenate([train, test])), index)
    assert np.array_equal(split.y_train, train)      # X and y shuffled together
    # digits() splits the same way: its rows are the rows at those indices.
    X, y = raw_digits
    unscaled = datasets.digits(rng=0, scale=False)
    assert np.array_equal(unscaled.X_train, X[train])
    assert np.array_equal(unscaled.X_test, X[test])
    assert np.array_equal(unscaled.y_train, y[train])
    assert np.array_equal(unscaled.y_test, y[test])


# --- standardization ------------------------------------------------------------------

def test_standardization_uses_the_training_part(raw_digits):
    scaled = datasets.digits(rng=0)
    unscaled = datasets.digits(rng=0, scale=False)
    mean = unscaled.X_train.mean(axis=0)
    std = unscaled.X_train.std(axis=0)
    constant = std == 0
    assert constant.any() and not constant.all()      # blank pixels exist
    assert np.allclose(scaled.X_train.mean(axis=0), 0.0, atol=1e-12)
    assert np.allclose(scaled.X_train.std(axis=0)[~constant], 1.0, rtol=1e-12)
    assert np.all(scaled.X_train[:, constant] == 0.0)  # centred, not divided
    # The test part is scaled with the training statistics, not its own.
    safe_std = np.where(constant, 1.0, std)
    assert np.allclose(scaled.X_test, (unscaled.X_test - mean) / safe_std,
                       rtol=1e-12, atol=1e-12)
    assert not np.allclose(scaled.X_test.mean(axis=0), 0.0, atol=1e-3)
    assert np.array_equal(scaled.y_test, unscaled.y_test)


def test_standardize_by_hand():
    split = datasets.Split(np.array([[1.0, 5.0], [3.0, 5.0]]),
                           np.array([[2.0, 7.0]]), np.zeros(2), np.zeros(1))
    scaled = datasets.standardize(split)
    assert np.array_equal(scaled.X_train, [[-1.0, 0.0], [1.0, 0.0]])
    assert np.array_equal(scaled.X_test, [[0.0, 2.0]])
    assert np.array_equal(split.X_train, [[1.0, 5.0], [3.0, 5.0]])   # untouched


def test_diabetes_is_standardized_but_not_its_target():
    split = datasets.diabetes()
    assert np.allclose(split.X_train.mean(axis=0), 0.0, atol=1e-12)
    assert np.allclose(split.X_train.std(axis=0), 1.0, rtol=1e-12)
    assert split.y_train.mean() > 100


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("test_size", [1.0, -0.1, 1.5])
def test_test_size_out_of_range(test_size):
    with pytest.raises(ValueError, match=rf"test_size must be in \[0\.0, 1\.0\), "
                                         rf"got {test_size}"):
        datasets.train_test_split(np.zeros((4, 2)), np.zeros(4), test_size)


def test_split_length_mismatch():
    with pytest.raises(ValueError, match="same number of samples, got 4 and 3"):
        datasets.train_test_split(np.zeros((4, 2)), np.zeros(3))


# --- plotting ------------------------------------------------------------------------------

@pytest.fixture
def plt():
    matplotlib.use("Agg")                  # set here, never through MPLBACKEND
    from matplotlib import pyplot
    yield pyplot
    pyplot.close("all")


def test_plot_loss(plt):
    from nnbook.plotting import plot_loss
    ax = plot_loss({"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.7, 0.5]})
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert ax.get_title() == "Loss during training"
    lines = ax.get_lines()
    assert len(lines) == 2
    assert np.array_equal(lines[0].get_xdata(), [1, 2, 3])
    assert np.array_equal(lines[1].get_ydata(), [1.1, 0.7, 0.5])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "training loss", "validation loss"]


def test_plot_loss_on_given_axes(plt):
    from nnbook.plotting import plot_loss
    _, ax = plt.subplots()
    out = plot_loss({"loss": [3.0, 2.0]}, ax=ax, title="Mine")
    assert out is ax and ax.get_title() == "Mine" and len(ax.get_lines()) == 1


def test_plot_decision_boundary_binary(plt):
    from nnbook.plotting import plot_decision_boundary
    X, y = datasets.xor()

    def predict(points):                   # 1 inside the XOR band
        return (np.abs(points[:, :1] - points[:, 1:]) > 0.5).astype(float)

    ax = plot_decision_boundary(predict, X, y, resolution=50)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert ax.get_xlabel() != ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "class 0", "class 1"]


def test_plot_decision_boundary_multiclass(plt):
    from nnbook.plotting import plot_decision_boundary
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    y = np.array([0, 1, 2])
    ax = plot_decision_boundary(lambda p: np.c_[-p[:, 0] - p[:, 1], p[:, 0], p[:, 1]],
                                X, y, resolution=30, title="Three classes")
    assert ax.get_title() == "Three classes"
    assert len(ax.get_legend().get_texts()) == 3


def test_plot_decision_boundary_needs_two_features(plt):
    from nnbook.plotting import plot_decision_boundary
    with pytest.raises(ValueError, match=r"\(n_samples, 2\), got \(4, 3\)"):
        plot_decision_boundary(lambda p: p[:, 0], np.zeros((4, 3)), np.zeros(4))


def test_setup_sets_the_palette(plt):
    from nnbook import plotting
    saved = np.get_printoptions()
    try:
        with matplotlib.rc_context():
            plotting.setup()
            colors = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
            assert colors == plotting.PALETTE
            assert matplotlib.rcParams["figure.facecolor"] == "white"
            assert matplotlib.rcParams["svg.hashsalt"] == "nnbook"
            _, ax = plt.subplots()
            line, = ax.plot([0, 1])
            assert line.get_color() == plotting.PALETTE[0]
        assert np.get_printoptions()["precision"] == 4
    finally:
        np.set_printoptions(**saved)
    assert len(plotting.PALETTE) == len(set(plotting.PALETTE)) == 8
