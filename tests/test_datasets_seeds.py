"""The data sets' defaults and seeds: the same call gives the book's data.

The chapters call ``nb.datasets.moons()``, ``digits()`` and ``diabetes()``
with their defaults, and their printed numbers and figures depend on the
exact points. These tests pin the defaults and a few values of the default
draw, so that a change to the seeding shows here and not only as a notebook
diff.
"""

import numpy as np
import pytest

from nnbook import datasets


def assert_same_split(a, b):
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_train_test_split_defaults_to_seed_0_and_a_fifth():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    split = datasets.train_test_split(X, y)
    assert_same_split(split, datasets.train_test_split(X, y, 0.2, 0))
    assert len(split.X_test) == 2


@pytest.mark.parametrize("load", [datasets.digits, datasets.diabetes,
                                  datasets.moons])
def test_the_default_seed_is_0(load):
    default = load()
    assert_same_split(default, load(rng=0))
    assert not np.array_equal(default.X_train, load(rng=1).X_train)


def test_moons_default_draw():
    split = datasets.moons()
    assert split.X_train.shape == (320, 2) and split.X_test.shape == (80, 2)
    np.testing.assert_allclose(split.X_train[:2], [[1.96887368, 0.15901884],
                                                   [1.08188639, 0.06375276]],
                               rtol=0, atol=1e-8)
    np.testing.assert_array_equal(split.y_train[:2], [[1.0], [0.0]])
    np.testing.assert_allclose(split.X_test[0], [-1.15040931, 0.16255668],
                               rtol=0, atol=1e-8)


def test_moons_noise_is_0_2_by_default():
    exact = datasets.moons(noise=0.0)
    # Without noise every point lies on one of the two unit half circles.
    X = np.r_[exact.X_train, exact.X_test]
    y = np.r_[exact.y_train, exact.y_test].ravel()
    centre = np.where(y[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    np.testing.assert_allclose(np.hypot(*(X - centre).T), 1.0, atol=1e-12)
    noisy = datasets.moons()
    Xn = np.r_[noisy.X_train, noisy.X_test]
    yn = np.r_[noisy.y_train, noisy.y_test].ravel()
    centre = np.where(yn[:, None] == 0, [0.0, 0.0], [1.0, 0.5])
    spread = np.std(np.hypot(*(Xn - centre).T) - 1.0)
    assert 0.1 < spread < 0.3


def test_diabetes_unscaled_is_the_raw_data():
    from sklearn.datasets import load_diabetes
    data = load_diabetes()
    split = datasets.diabetes(scale=False)
    rows = [np.flatnonzero((data.data == row).all(axis=1))[0]
            for row in split.X_train[:5]]
    np.testing.assert_array_equal(split.X_train[:5], data.data[rows])
    np.testing.assert_array_equal(split.y_train[:5, 0], data.target[rows])
    assert split.y_train.shape == (len(split.X_train), 1)
    assert abs(split.X_train.mean(axis=0)).max() < 0.02   # sklearn's scaling
    assert not np.allclose(split.X_train.std(axis=0), 1.0)
