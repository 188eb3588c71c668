"""Gradient clipping by global norm: ``clip_grad_norm``.

All the gradient arrays of a model are treated as one long vector ``g``.
If its Euclidean norm exceeds ``max_norm``, every array is multiplied by the
same factor ``max_norm / (||g|| + 1e-6)``: the step keeps its direction and
only gets shorter (Pascanu, Mikolov and Bengio, 2013). These are the
semantics of PyTorch's ``torch.nn.utils.clip_grad_norm_``.
"""

import numpy as np

from ._checks import check_positive

EPS = 1e-6      # added to the norm in the factor, as PyTorch does


def global_norm(grads):
    """``sqrt(sum of the squares of every entry of every array)``.

    Computed as the norm of the per-array norms, each scaled by its largest
    entry first, so that entries near the float64 limit (``1e200``) give
    their finite norm instead of overflowing to inf.

    Parameters
    ----------
    grads : list of ndarray

    Returns
    -------
    float
        The global 2-norm, in float64 (NaN if an entry is NaN, inf if an
        entry is infinite, 0.0 for no arrays).
    """
    return _norm(np.array([_norm(g) for g in grads]))   # floats: float64


def _norm(a):
    """The 2-norm of all entries of ``a``, scaled against overflow."""
    a = np.asarray(a, dtype=np.float64).ravel()
    if a.size == 0:
        return 0.0
    m = np.max(np.abs(a))
    if m == 0 or not np.isfinite(m):           # all zeros, or inf or NaN
        return float(m)
    return float(m * np.sqrt(np.sum((a / m) ** 2)))


def clip_grad_norm(grads, max_norm):
    """Scale ``grads`` in place so that their global 2-norm is at most ``max_norm``.

    With ``total_norm = sqrt(sum of squares of all entries)`` (all arrays
    together) and ``clip_coef = max_norm / (total_norm + 1e-6)``, every
    array is multiplied by ``clip_coef`` if ``clip_coef < 1`` and left
    alone otherwise, as ``torch.nn.utils.clip_grad_norm_`` does. One common
    factor keeps the direction of the whole gradient.

    Parameters
    ----------
    grads : list of ndarray
        The gradients, as ``model.gradients()`` returns them (a single
        ndarray is taken as a list of one). They are changed in place, so
        the model's ``dW`` arrays are the clipped ones.
    max_norm : float
        The largest global norm allowed; finite and > 0.

    Returns
    -------
    float
        The global norm *before* clipping (useful to log: a spike in it
        shows the step that clipping shortened).

    Raises
    ------
    TypeError
        If ``grads`` is not a list of float ndarrays (``None`` means that
        ``backward`` has not run yet).
    ValueError
        If ``max_norm`` is not a finite number > 0, or if the global norm is
        NaN or infinite. PyTorch would then scale every gradient by NaN (or
        by 0); nnbook refuses instead and leaves the gradients unchanged,
        since no factor can make them finite: the training has diverged, so
        lower the learning rate or restart from finite weights.
    """
    check_positive(max_norm, "max_norm")
    if isinstance(grads, np.ndarray):
        grads = [grads]
    if not isinstance(grads, (list, tuple)):
        raise TypeError(
            f"grads must be a list of gradient arrays, such as "
            f"model.gradients(), got {type(grads).__name__}."
        )
    for i, g in enumerate(grads):
        if not (isinstance(g, np.ndarray) and g.dtype.kind == "f"):
            what = "None: call backward first" if g is None else (
                f"{type(g).__name__} of dtype {g.dtype}"
                if isinstance(g, np.ndarray) else type(g).__name__)
            raise TypeError(
                f"grads[{i}] must be a float ndarray (scaled in place), "
                f"got {what}."
            )
    total_norm = global_norm(grads)
    if not np.isfinite(total_norm):
        raise ValueError(
            f"the global norm of the gradients is {total_norm}, not finite: "
            f"no factor can clip it (the gradients are left unchanged). The "
            f"training has diverged: lower the learning rate."
        )
    clip_coef = max_norm / (total_norm + EPS)
    if clip_coef < 1:
        for g in grads:
            g *= clip_coef
    return total_norm
