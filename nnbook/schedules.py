"""Learning-rate schedules: functions of the step that scale the learning rate.

A schedule is a plain function ``factor = schedule(t)`` of the step number
``t = 0, 1, 2, ...`` (the number of optimizer steps taken before this one)
that returns a multiplier of the optimizer's base learning rate.
``fit(..., lr_schedule=schedule)`` sets ``optimizer.lr = base_lr *
schedule(t)`` before every optimizer step (every batch, not every epoch), and
puts the base learning rate back when it returns. A run of ``epochs`` epochs
takes ``epochs * ceil(n_samples / batch_size)`` steps.

Any function of ``t`` works; the three below are the common ones, and
``warmup`` puts a linear warm-up in front of another schedule::

    total = epochs * math.ceil(len(X) / batch_size)
    schedule = warmup(100, then=cosine(total - 100))
"""

import math

from ._checks import check_in_range, check_int, check_positive


def step_decay(step_size, gamma=0.1):
    """Multiply the learning rate by ``gamma`` every ``step_size`` steps.

    ``factor(t) = gamma ** (t // step_size)``, as PyTorch's ``StepLR``.

    Parameters
    ----------
    step_size : int >= 1
    gamma : float > 0, default 0.1

    Returns
    -------
    schedule : function of the step ``t`` (int >= 0) to the factor (float)
    """
    check_int(step_size, "step_size", 1)
    check_positive(gamma, "gamma")

    def schedule(t):
        return gamma ** (t // step_size)

    return schedule


def cosine(total_steps, min_factor=0.0):
    """Cosine decay from 1 to ``min_factor`` over ``total_steps`` steps.

    ``factor(t) = min_factor + (1 - min_factor) (1 + cos(pi t / T)) / 2``
    with ``T = total_steps``, for ``0 <= t <= T`` (as PyTorch's
    ``CosineAnnealingLR`` with ``eta_min = min_factor * lr``, Loshchilov and
    Hutter, 2017, without restarts); after ``T`` it stays at ``min_factor``.

    Parameters
    ----------
    total_steps : int >= 1
    min_factor : float in [0, 1), default 0.0

    Returns
    -------
    schedule : function of the step ``t`` (int >= 0) to the factor (float)
    """
    check_int(total_steps, "total_steps", 1)
    check_in_range(min_factor, "min_factor", 0.0, 1.0)

    def schedule(t):
        progress = min(t, total_steps) / total_steps      # 0 -> 1
        return min_factor + (1 - min_factor) * (1 + math.cos(math.pi * progress)) / 2

    return schedule


def warmup(warmup_steps, then=None):
    """Linear warm-up over ``warmup_steps`` steps, then ``then``.

    ``factor(t) = (t + 1) / warmup_steps`` for ``t < warmup_steps`` (so the
    first step uses ``1 / warmup_steps`` of the learning rate and step
    ``warmup_steps - 1`` all of it, as in Goyal et al., 2017), then
    ``then(t - warmup_steps)``: the schedule that follows starts at its own
    step 0. Without ``then`` the factor stays 1.

    Parameters
    ----------
    warmup_steps : int >= 1
    then : function of the step, or None

    Returns
    -------
    schedule : function of the step ``t`` (int >= 0) to the factor (float)
    """
    check_int(warmup_steps, "warmup_steps", 1)
    if then is not None and not callable(then):
        raise TypeError(
            f"then must be a schedule (a function of the step) or None, "
            f"got {type(then).__name__}."
        )

    def schedule(t):
        if t < warmup_steps:
            return (t + 1) / warmup_steps
        return 1.0 if then is None else then(t - warmup_steps)

    return schedule
