"""The timing loop the benchmark scripts share.

Every contender trains ``rounds`` times, the contenders taking turns, so that
a change in the machine's load hits them all alike; each figure is the median
over the rounds.
"""

import time

import numpy as np


def with_torch(found, train_torch):
    """``found`` plus ``train_torch`` when PyTorch can be imported."""
    try:
        import torch  # noqa: F401
        found["PyTorch (CPU, eager)"] = train_torch
    except ImportError:
        print("PyTorch is not installed: skipping it (pip install torch to add it).")
    return found


def time_contenders(found, data, epochs, rounds):
    """Train every contender of ``found`` ``rounds`` times, interleaved.

    Parameters
    ----------
    found : dict, name -> train(X, y, seed) returning predict(X) -> scores
    data : (X_train, y_train, X_test, y_test)
    epochs : int, the epochs of one training (to report ms per epoch)
    rounds : int

    Returns
    -------
    ms : dict, contender name -> median milliseconds per epoch
    accuracy : dict, contender name -> test accuracy of the last round
    """
    X_train, y_train, X_test, y_test = data
    times = {name: [] for name in found}
    accuracy = {}
    for round_ in range(rounds):
        for name, train in found.items():
            start = time.perf_counter()
            predict = train(X_train, y_train, seed=round_)
            times[name].append((time.perf_counter() - start) / epochs * 1e3)
            scores = predict(X_test)
            accuracy[name] = float(np.mean(scores.argmax(axis=1) == y_test))
    ms = {name: float(np.median(t)) for name, t in times.items()}
    return ms, accuracy
