"""Benchmark: the digits MLP trained with ``nb.Tensor`` against ``nb.Sequential``.

The same task for both: digits 64-32-10, ReLU hidden layer, softmax
cross-entropy, plain SGD (lr 0.1), batch size 32, float64, 10 epochs, the
same initial weights and the same batches. Both run the same hand-written
loop; only the forward and backward pass differ:

1. ``nb.Sequential([Dense, ReLU, Dense])`` with ``nb.CrossEntropy``: the
   backward passes written by hand, one per module. As in ``nb.fit``, the
   first layer skips the gradient of its input (``input_grad = False``).
2. The same network written with ``nb.Tensor`` operations (softmax
   cross-entropy from ``exp``, ``log`` and ``sum``, stabilised by subtracting
   the row maximum as a constant); ``backward()`` derives every gradient,
   including the one of the input batch, which nobody needs.

The two run interleaved in one process, ``ROUNDS`` rounds; each reports the
median over the rounds of (time for 10 epochs) / 10. The script also checks
that both end with the same weights, so that the two did the same work.

Run from the repository root::

    .venv/bin/python benchmarks/bench_tensor.py
"""

import time

import numpy as np

import nnbook as nb
from nnbook.datasets import digits

EPOCHS, BATCH, HIDDEN, LR, ROUNDS = 10, 32, 32, 0.1, 7


def make_model(seed):
    return nb.Sequential([
        nb.Dense(64, HIDDEN, rng=seed), nb.ReLU(),
        nb.Dense(HIDDEN, 10, rng=seed + 1),
    ])


def batches(n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(EPOCHS):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            yield order[start:start + BATCH]


def train_sequential(X, y, seed):
    model = make_model(seed)
    model.layers[0].input_grad = False
    loss = nb.CrossEntropy()
    opt = nb.SGD(LR)
    for batch in batches(len(X), seed):
        loss.forward(model.forward(X[batch]), y[batch])
        model.backward(loss.backward())
        opt.step(model.parameters(), model.gradients())
    return model.parameters()


def tensor_loss(params, X, Y):
    """Mean softmax cross-entropy of the MLP, in Tensor operations."""
    W1, b1, W2, b2 = params
    Z = (X @ W1 + b1).relu() @ W2 + b2
    shifted = Z - Z.data.max(axis=1, keepdims=True)     # a constant
    log_p = shifted - shifted.exp().sum(axis=1, keepdims=True).log()
    return (log_p * Y).sum() * (-1.0 / len(Y))           # the mean over the B rows


def train_tensor(X, y, seed):
    params = [nb.Tensor(p) for p in make_model(seed).parameters()]
    one_hot = np.eye(10)[y]
    for batch in batches(len(X), seed):
        tensor_loss(params, X[batch], one_hot[batch]).backward()
        for p in params:
            p.data -= LR * p.grad
    return [p.data for p in params]


def run(rounds=ROUNDS):
    """Both contenders ``rounds`` times, interleaved; median ms per epoch."""
    data = digits(rng=0)
    X, y = data.X_train, data.y_train
    found = {"nb.Sequential": train_sequential, "nb.Tensor": train_tensor}
    times = {name: [] for name in found}
    for round_ in range(rounds):
        weights = {}
        for name, train in found.items():
            start = time.perf_counter()
            weights[name] = train(X, y, seed=round_)
            times[name].append((time.perf_counter() - start) / EPOCHS * 1e3)
        for a, b in zip(*weights.values()):
            np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)
    return {name: float(np.median(t)) for name, t in times.items()}


def main():
    ms = run()
    print(f"digits 64-{HIDDEN}-10, batch {BATCH}, SGD lr {LR}, float64, "
          f"{EPOCHS} epochs, median of {ROUNDS} rounds; same final weights")
    print(f"{'contender':<16}{'ms/epoch':>10}")
    for name, t in ms.items():
        print(f"{name:<16}{t:>10.2f}")
    ratio = ms["nb.Tensor"] / ms["nb.Sequential"]
    print(f"nb.Tensor / nb.Sequential: {ratio:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
