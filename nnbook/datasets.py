"""Small data sets for the book, all offline.

XOR is written out here; digits, diabetes and moons come with scikit-learn
(needed here, not by the engine).
"""

from collections import namedtuple

import numpy as np

from ._checks import check_in_range, make_rng

Split = namedtuple("Split", ["X_train", "X_test", "y_train", "y_test"])
Split.__doc__ = "Training and test arrays: ``X_train, X_test, y_train, y_test``."


def xor():
    """The four XOR points: ``X`` of shape (4, 2) and ``y`` of shape (4, 1),
    float64, 1.0 where exactly one input is 1."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return X, y


def train_test_split(X, y, test_size=0.2, rng=0):
    """Shuffle with ``rng`` and hold out a fraction ``test_size`` for testing.

    The test part (a ``Split``) is the first ``round(test_size * n_samples)``
    rows of ``rng.permutation(n_samples)`` (scikit-learn's
    ``train_test_split`` uses its own generator and rounds up).
    """
    check_in_range(test_size, "test_size", 0.0, 1.0)
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples, got "
                         f"{len(X)} and {len(y)}.")
    order = make_rng(rng).permutation(len(X))
    n_test = int(round(test_size * len(X)))
    test, train = order[:n_test], order[n_test:]
    return Split(X[train], X[test], y[train], y[test])


def standardize(split):
    """Scale features to mean 0 and standard deviation 1, from the training part.

    scikit-learn's ``StandardScaler`` fitted on ``X_train``, applied to both
    parts; a feature constant in training (a blank pixel) is only centred.
    """
    from sklearn.preprocessing import StandardScaler
    scaler = StandardScaler().fit(split.X_train)
    return split._replace(X_train=scaler.transform(split.X_train),
                          X_test=scaler.transform(split.X_test))


def digits(test_size=0.2, rng=0, scale=True):
    """Handwritten digits: 1797 images of 8x8 pixels, labels 0 to 9.

    A ``Split``: ``X_*`` of shape (n, 64), float64, standardized when
    ``scale``; ``y_*`` of shape (n,), integer labels.
    """
    from sklearn.datasets import load_digits
    X, y = load_digits(return_X_y=True)
    split = train_test_split(X.astype(np.float64), y, test_size, rng)
    return standardize(split) if scale else split


def diabetes(test_size=0.2, rng=0, scale=True):
    """Diabetes progression: 442 patients, 10 features, one target.

    A ``Split``: ``X_*`` of shape (n, 10), standardized when ``scale``;
    ``y_*`` of shape (n, 1), the progression a year later (25 to 346, in
    its own units).
    """
    from sklearn.datasets import load_diabetes
    X, y = load_diabetes(return_X_y=True)
    split = train_test_split(X, y.reshape(-1, 1), test_size, rng)
    return standardize(split) if scale else split


def moons(n_samples=400, noise=0.2, test_size=0.2, rng=0):
    """Two interleaving half circles in 2-D, labels 0 and 1.

    A ``Split``: ``X_*`` of shape (n, 2); ``y_*`` of shape (n, 1), float64
    0.0 or 1.0, ready for a sigmoid output and ``BinaryCrossEntropy``.
    """
    from sklearn.datasets import make_moons
    rng = make_rng(rng)
    X, y = make_moons(n_samples=n_samples, noise=noise,
                      random_state=int(rng.integers(2**31 - 1)))
    return train_test_split(X, y.reshape(-1, 1).astype(np.float64),
                            test_size, rng)
