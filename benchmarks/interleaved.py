"""The timing loop the benchmark scripts share.

Every contender trains ``rounds`` times, the contenders taking turns (in an
order that rotates every round), so that a change in the machine's load hits
them all alike; each figure is the median over the rounds.
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
    names = list(found)
    for round_ in range(rounds):
        # Rotate the order each round, so that no contender always runs
        # right after the same one (a long run leaves the caches cold).
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            train = found[name]
            start = time.perf_counter()
            predict = train(X_train, y_train, seed=round_)
            times[name].append((time.perf_counter() - start) / epochs * 1e3)
            scores = predict(X_test)
            accuracy[name] = float(np.mean(scores.argmax(axis=1) == y_test))
    ms = {name: float(np.median(t)) for name, t in times.items()}
    return ms, accuracy
