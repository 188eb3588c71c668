"""Benchmark: train digits 64-32-10 three ways and compare ms per epoch.

The same task for each contender: ReLU hidden layer of 32 units, softmax
cross-entropy output, plain SGD (lr 0.1, no momentum), batch size 32,
float64, 10 epochs, samples reshuffled every epoch.

1. ``nnbook.fit`` with ``Sequential([Dense, ReLU, Dense])`` and
   ``CrossEntropy``.
2. A hand-written NumPy loop with the whole forward and backward pass fused
   into one function: the floor for pure NumPy. Like ``fit`` (and
   scikit-learn), it computes the training loss of every batch and keeps the
   mean per epoch; like ``fit`` (which sets the first layer's
   ``input_grad = False``) it skips the input gradient of the first layer.
3. scikit-learn's ``MLPClassifier`` set up the same way (``solver="sgd"``,
   constant learning rate, no momentum, no L2 penalty, no early stopping).
4. PyTorch (CPU, eager mode, float64), when it is installed; skipped with a
   note when it is not. It is not a dependency of the project.

The contenders run interleaved in one process, 15 rounds; each reports
the median over the rounds of (time for 10 epochs) / 10.

Run from the repository root::

    .venv/bin/python benchmarks/bench_digits.py
"""

import warnings

import numpy as np

import nnbook as nb
from nnbook.datasets import digits

from interleaved import time_contenders, with_torch

EPOCHS, BATCH, HIDDEN, LR, ROUNDS = 10, 32, 32, 0.1, 15


def train_nnbook(X, y, seed):
    model = nb.Sequential([
        nb.Dense(64, HIDDEN, rng=seed), nb.ReLU(),
        nb.Dense(HIDDEN, 10, rng=seed + 1),
    ])
    nb.fit(model, nb.CrossEntropy(), nb.SGD(LR), X, y,
           epochs=EPOCHS, batch_size=BATCH, rng=seed)
    return model.predict


def train_by_hand(X, y, seed):
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((64, HIDDEN)) * np.sqrt(2 / 64)
    b1 = np.zeros(HIDDEN)
    W2 = rng.standard_normal((HIDDEN, 10)) * np.sqrt(2 / HIDDEN)
    b2 = np.zeros(10)
    n = len(X)
    losses = []
    for _ in range(EPOCHS):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, BATCH):
            batch = order[start:start + BATCH]
            xb, yb = X[batch], y[batch]
            m = len(batch)
            z1 = xb @ W1 + b1
            a1 = np.maximum(z1, 0.0)
            z2 = a1 @ W2 + b2
            shifted = z2 - z2.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            sums = e.sum(axis=1, keepdims=True)
            rows = np.arange(m)
            total += np.log(sums).sum() - shifted[rows, yb].sum()
            dz2 = e / sums
            dz2[rows, yb] -= 1.0
            dz2 /= m
            dz1 = (dz2 @ W2.T) * (z1 > 0)
            W2 -= LR * (a1.T @ dz2)
            b2 -= LR * dz2.sum(axis=0)
            W1 -= LR * (xb.T @ dz1)
            b1 -= LR * dz1.sum(axis=0)
        losses.append(total / n)  # fit reports the epoch loss; so does this

    def predict(X):
        return np.maximum(X @ W1 + b1, 0.0) @ W2 + b2
    return predict


def train_sklearn(X, y, seed):
    from sklearn.neural_network import MLPClassifier
    clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), activation="relu",
                        solver="sgd", learning_rate="constant",
                        learning_rate_init=LR, momentum=0.0, alpha=0.0,
                        batch_size=BATCH, max_iter=EPOCHS, shuffle=True,
                        early_stopping=False, tol=0.0, n_iter_no_change=EPOCHS + 1,
                        random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "did not converge" after 10 epochs
        clf.fit(X, y)
    return clf.predict_proba


def train_torch(X, y, seed):
    import torch
    torch.manual_seed(seed)
    torch.set_num_threads(1)  # small matrices: threads only add overhead
    model = torch.nn.Sequential(
        torch.nn.Linear(64, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 10),
    ).double()
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    rng = np.random.default_rng(seed)
    for _ in range(EPOCHS):
        order = torch.from_numpy(rng.permutation(len(X)))
        for start in range(0, len(X), BATCH):
            batch = order[start:start + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(Xt[batch]), yt[batch])
            loss.backward()
            opt.step()

    def predict(X):
        with torch.no_grad():
            return model(torch.from_numpy(X)).numpy()
    return predict


def contenders():
    """The contenders to run; PyTorch only when it can be imported."""
    found = {
        "nnbook.fit": train_nnbook,
        "hand-written NumPy": train_by_hand,
        "scikit-learn MLPClassifier": train_sklearn,
    }
    return with_torch(found, train_torch)


def run(rounds=ROUNDS):
    """Train every contender ``rounds`` times, interleaved.

    Returns
    -------
    ms : dict, contender name -> median milliseconds per epoch
    accuracy : dict, contender name -> test accuracy of the last round
    """
    data = digits(rng=0)
    split = (data.X_train, data.y_train, data.X_test, data.y_test)
    return time_contenders(contenders(), split, EPOCHS, rounds)


def main():
    ms, accuracy = run()
    print(f"digits 64-{HIDDEN}-10, batch {BATCH}, SGD lr {LR}, float64, "
          f"{EPOCHS} epochs, median of {ROUNDS} rounds")
    print(f"{'contender':<28}{'ms/epoch':>10}{'test acc':>10}")
    for name in ms:
        print(f"{name:<28}{ms[name]:>10.2f}{accuracy[name]:>10.3f}")
    ours = ms["nnbook.fit"]
    print(f"nnbook / hand-written: {ours / ms['hand-written NumPy']:.2f}x "
          f"(target <= 1.2x)")
    print(f"scikit-learn / nnbook: {ms['scikit-learn MLPClassifier'] / ours:.2f}x "
          f"faster (target >= 2.5x)")
    if "PyTorch (CPU, eager)" in ms:
        print(f"PyTorch / nnbook: {ms['PyTorch (CPU, eager)'] / ours:.2f}x faster")


if __name__ == "__main__":
    main()
