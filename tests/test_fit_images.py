"""fit on image batches: X of any ndim >= 2, samples on axis 0."""

import re

import numpy as np
import pytest

from nnbook import (Conv2D, CrossEntropy, Dense, Flatten, MaxPool2D, ReLU, SGD,
                    Sequential, fit)


def tiny_cnn(seed=0):
    rng = np.random.default_rng(seed)
    return Sequential([Conv2D(1, 2, 3, padding=1, rng=rng), ReLU(),
                       MaxPool2D(2), Flatten(), Dense(2 * 3 * 3, 2, rng=rng)])


def images(n=24, seed=0):
    """Bright left half (class 0) or bright right half (class 1), 6x6."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.standard_normal((n, 1, 6, 6)) * 0.1
    X[y == 0, :, :, :3] += 1.0
    X[y == 1, :, :, 3:] += 1.0
    return X, y


def test_fit_trains_a_cnn_on_4d_data():
    X, y = images()
    model = tiny_cnn()
    history = fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=15,
                  batch_size=8, rng=0, validation_data=images(12, seed=1))
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["val_accuracy"][-1] == 1.0
    assert len(history["val_loss"]) == 15


def test_fit_accepts_3d_data():
    X = np.random.default_rng(0).standard_normal((10, 2, 3))
    y = np.arange(10) % 2
    model = Sequential([Flatten(), Dense(6, 2, rng=0)])
    history = fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=2, batch_size=4,
                  rng=0)
    assert len(history["loss"]) == 2


def test_validation_images_of_another_shape_are_refused_naming_both():
    X, y = images()
    X_val = np.zeros((5, 1, 5, 6))
    model = tiny_cnn()
    W = model.layers[0].W.copy()
    message = ("X_val must hold samples of the shape of those of X, (1, 6, 6) "
               "(X has shape (24, 1, 6, 6)), got X_val of shape (5, 1, 5, 6).")
    with pytest.raises(ValueError, match=re.escape(message)):
        fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=1,
            validation_data=(X_val, np.zeros(5, dtype=int)))
    np.testing.assert_array_equal(model.layers[0].W, W)


def test_validation_of_other_ndim_is_refused():
    X, y = images()
    with pytest.raises(ValueError, match=re.escape(
            "(1, 6, 6) (X has shape (24, 1, 6, 6)), got X_val of shape (5, 36).")):
        fit(tiny_cnn(), CrossEntropy(), SGD(0.1), X, y, epochs=1,
            validation_data=(np.zeros((5, 36)), np.zeros(5, dtype=int)))


@pytest.mark.parametrize("X", [np.zeros(10), np.float64(3.0)])
def test_fewer_than_two_dimensions_are_refused(X):
    model = Dense(1, 2, rng=0)
    with pytest.raises(ValueError, match=re.escape(
            "X must be at least 2-D, samples on axis 0: shape (n_samples, "
            "n_features), or (n_samples, channels, height, width) for images; "
            f"got shape {np.shape(X)}.")):
        fit(model, CrossEntropy(), SGD(0.1), X, np.zeros(10, dtype=int),
            epochs=1)


def test_empty_image_batch_is_refused():
    with pytest.raises(ValueError, match=re.escape(
            "X must hold at least 1 sample, got shape (0, 1, 6, 6).")):
        fit(tiny_cnn(), CrossEntropy(), SGD(0.1), np.zeros((0, 1, 6, 6)),
            np.zeros(0, dtype=int), epochs=1)


def test_non_finite_image_is_refused():
    X, y = images()
    X[3, 0, 2, 2] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        fit(tiny_cnn(), CrossEntropy(), SGD(0.1), X, y, epochs=1)
