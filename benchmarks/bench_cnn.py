"""Benchmark: the convolutions chapter's digits CNN, nnbook against PyTorch.

The same task for each contender: the 8x8 digits as images of shape
(1, 8, 8); ``Conv2D(1, 8, 3, padding=1)``, ReLU, ``MaxPool2D(2)``,
``Flatten``, ``Dense(128, 10)``; softmax cross-entropy; plain SGD (lr 0.1,
no momentum); batch size 32; float64; samples reshuffled every epoch; the
training loss of every batch computed and kept (as ``fit`` does).

1. nnbook: the chapter's model, ``Sequential([Conv2D, ReLU, MaxPool2D,
   Flatten, Dense])`` with ``CrossEntropy`` and ``SGD``, trained by the loop
   that ``fit`` runs (forward, loss, backward, step), written out because
   ``fit`` takes 2-D ``X``. Like ``fit``, it sets ``input_grad = False`` on
   the first layer, whose input is the data.
2. PyTorch (CPU, eager mode, float64, one thread), the same architecture,
   when it is installed; skipped with a note when it is not. It is not a
   dependency of the project.

The contenders run interleaved in one process, several rounds; each
reports the median over the rounds of (time for ``EPOCHS`` epochs) /
``EPOCHS``. The goal: nnbook no slower than PyTorch (ratio PyTorch / nnbook
>= 1).

Run from the repository root::

    .venv/bin/python benchmarks/bench_cnn.py
"""


import numpy as np

import nnbook as nb
from nnbook.datasets import digits

from interleaved import time_contenders, with_torch

EPOCHS, BATCH, CHANNELS, LR, ROUNDS = 5, 32, 8, 0.1, 7


def images(X):
    """Rows of 64 pixels -> images of shape (1, 8, 8)."""
    return X.reshape(-1, 1, 8, 8)


def digits_cnn(rng, dtype=np.float64):
    """The chapter's CNN: 8 kernels of 3x3, ReLU, 2x2 max pooling, dense."""
    return nb.Sequential([
        nb.Conv2D(1, CHANNELS, 3, padding=1, rng=rng, dtype=dtype), nb.ReLU(),
        nb.MaxPool2D(2), nb.Flatten(),
        nb.Dense(CHANNELS * 4 * 4, 10, rng=rng, dtype=dtype),
    ])


def train_nnbook(X, y, seed):
    rng = np.random.default_rng(seed)
    model = digits_cnn(rng)
    model.layers[0].input_grad = False         # dL/dX of the data: unused
    loss, opt = nb.CrossEntropy(), nb.SGD(LR)
    params = model.parameters()
    losses = []
    for _ in range(EPOCHS):
        order = rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(X), BATCH):
            batch = order[start:start + BATCH]
            total += loss.forward(model.forward(X[batch]), y[batch]) * len(batch)
            model.backward(loss.backward())
            opt.step(params, model.gradients())
        losses.append(total / len(X))
    return model.predict


def train_torch(X, y, seed):
    import torch
    torch.manual_seed(seed)
    torch.set_num_threads(1)  # small tensors: threads only add overhead
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, CHANNELS, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(CHANNELS * 4 * 4, 10),
    ).double()
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(EPOCHS):
        order = torch.from_numpy(rng.permutation(len(X)))
        total = 0.0
        for start in range(0, len(X), BATCH):
            batch = order[start:start + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(Xt[batch]), yt[batch])
            loss.backward()
            opt.step()
            total += loss.item() * len(batch)
        losses.append(total / len(X))

    def predict(X):
        with torch.no_grad():
            return model(torch.from_numpy(X)).numpy()
    return predict


def contenders():
    """The contenders to run; PyTorch only when it can be imported."""
    found = {"nnbook": train_nnbook}
    return with_torch(found, train_torch)


def run(rounds=ROUNDS):
    """Train every contender ``rounds`` times, interleaved.

    Returns
    -------
    ms : dict, contender name -> median milliseconds per epoch
    accuracy : dict, contender name -> test accuracy of the last round
    """
    data = digits(rng=0)
    X_train, X_test = images(data.X_train), images(data.X_test)
    split = (X_train, data.y_train, X_test, data.y_test)
    return time_contenders(contenders(), split, EPOCHS, rounds)


def main():
    ms, accuracy = run()
    print(f"digits CNN conv 1->{CHANNELS} 3x3 pad 1, ReLU, maxpool 2, dense "
          f"{CHANNELS * 16}->10; batch {BATCH}, SGD lr {LR}, float64, "
          f"{EPOCHS} epochs, median of {ROUNDS} rounds")
    print(f"{'contender':<24}{'ms/epoch':>10}{'test acc':>10}")
    for name in ms:
        print(f"{name:<24}{ms[name]:>10.2f}{accuracy[name]:>10.3f}")
    if "PyTorch (CPU, eager)" in ms:
        print(f"PyTorch / nnbook: {ms['PyTorch (CPU, eager)'] / ms['nnbook']:.2f}x "
              f"(target >= 1: nnbook no slower)")


if __name__ == "__main__":
    main()
