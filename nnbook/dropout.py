"""Inverted dropout: a random mask in training, the identity in evaluation."""

import math
import numbers

from ._checks import as_float_array, check_type, make_rng
from .module import Module, check_grad_out


def _check_p(p):
    """Raise unless ``p`` is a finite number with ``0 <= p < 1``."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"p must be a number in [0, 1), got {p!r}.")
    if not math.isfinite(p) or not 0 <= p < 1:
        hint = ""
        if p == 1:
            hint = (" p = 1 would drop every entry, and the inverted scale "
                    "1 / (1 - p) is undefined.")
        raise ValueError(f"p must be in [0, 1), got {p}.{hint}")


class Dropout(Module):
    """Inverted dropout, as ``torch.nn.Dropout``.

    In training mode each entry of ``x`` is zeroed with probability ``p``
    and the others are scaled by ``1 / (1 - p)``::

        mask = (U >= p) / (1 - p),   U ~ Uniform[0, 1) entry by entry
        a = x * mask

    so ``E[a] = x``: the expected output equals the input, and the network
    needs no rescaling at test time. In evaluation mode (``eval()``) the
    module is the identity.

    The backward pass treats the mask as a constant: ``dx = grad_out * mask``
    in training mode, ``dx = grad_out`` after an evaluation-mode forward.

    Parameters
    ----------
    p : float
        The probability of zeroing an entry, ``0 <= p < 1``. ``p = 0`` keeps
        everything (the mask is all ones).
    rng : np.random.Generator, int or None
        Draws the masks; an int seed gives the same masks on every run.

    Attributes
    ----------
    mask : ndarray shaped like the input, or None
        The scaled mask of the last training-mode forward, in the input's
        dtype, each entry 0 or ``1 / (1 - p)``. None before the first forward
        and after an evaluation-mode forward.
    frozen : bool
        False by default: every training-mode forward draws a new mask. After
        ``freeze()`` the forward passes reuse the current mask (drawing one if
        there is none), so that the loss is one fixed function of the input
        and the parameters, as a gradient check needs. ``freeze(False)``
        draws again at every forward.
    """

    def __init__(self, p, *, rng=None):
        _check_p(p)
        self.p = p
        self.rng = make_rng(rng)
        self.mask = None
        self.frozen = False
        self.x = None          # the input of the last forward (for its shape)

    def freeze(self, frozen=True):
        """Keep the current mask for the next forwards (or not); return self."""
        check_type(frozen, "frozen", bool, "True or False")
        self.frozen = frozen
        return self

    def forward(self, x):
        """Return ``x * mask`` in training mode, ``x`` in evaluation mode.

        Parameters
        ----------
        x : ndarray of any shape, e.g. (batch, features)

        Returns
        -------
        ndarray shaped like ``x``, in its dtype (integers become float64)
        """
        x = as_float_array(x, "x")
        self.x = x
        if not self.training:
            self.mask = None
            return x
        if not self.frozen or self.mask is None:
            keep = self.rng.random(x.shape) >= self.p
            self.mask = keep.astype(x.dtype) / x.dtype.type(1 - self.p)
        elif self.mask.shape != x.shape or self.mask.dtype != x.dtype:
            raise ValueError(
                f"Dropout is frozen with a mask of shape {self.mask.shape} "
                f"and dtype {self.mask.dtype}, got x of shape {x.shape} and "
                f"dtype {x.dtype}; call freeze(False) to draw new masks."
            )
        return x * self.mask

    def backward(self, grad_out):
        """Return ``grad_out * mask`` (training) or ``grad_out`` (evaluation).

        The mask of the last forward is a constant here: the same entries
        that were zeroed get no gradient, the others the same scale.
        """
        check_grad_out(self, grad_out, self.x)
        if self.mask is None:
            return grad_out
        return grad_out * self.mask

    def __repr__(self):
        return f"Dropout(p={self.p})"
