"""Count the function calls per batch of bench_digits.py's contenders.

A wall-clock ratio needs a quiet machine; the number of calls that cProfile
sees (Python functions and NumPy's C functions alike) does not move with
the load, so it shows at once what a change of the engine adds to or takes
from every batch. The same count as the performance chapter's.

Run from the repository root::

    .venv/bin/python benchmarks/calls_per_batch.py [--by-function]
"""

import cProfile
import pstats
import sys

import bench_digits
from nnbook.datasets import digits


def calls_per_batch(train, data, by_function=False):
    """Calls per batch of one training; with ``by_function`` also the top ones."""
    n_batches = bench_digits.EPOCHS * -(-len(data.X_train) // bench_digits.BATCH)
    profiler = cProfile.Profile()
    profiler.enable()
    train(data.X_train, data.y_train, seed=0)
    profiler.disable()
    stats = pstats.Stats(profiler)
    top = []
    if by_function:
        for (file, line, name), (_, ncalls, *_rest) in stats.stats.items():
            if ncalls >= n_batches / 2:
                top.append((ncalls / n_batches, f"{name} ({file.split('/')[-1]}:{line})"))
    return stats.total_calls / n_batches, sorted(top, reverse=True)


def main():
    data = digits(rng=0)
    by_function = "--by-function" in sys.argv
    for name, train in [("nnbook.fit", bench_digits.train_nnbook),
                        ("hand-written NumPy", bench_digits.train_by_hand)]:
        total, top = calls_per_batch(train, data, by_function)
        print(f"{name:20s} {total:6.1f} function calls per batch")
        for n, where in top:
            print(f"    {n:5.2f}  {where}")


if __name__ == "__main__":
    main()
