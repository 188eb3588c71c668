"""Residual connections: ``Residual(F)`` computes ``x + F(x)``.

The skip adds the input to the output of the wrapped module ``F``, so the
Jacobian of the block is ``I + J_F`` and the backward pass is::

    dx = grad_out + F.backward(grad_out)

``grad_out`` reaches ``x`` twice: once directly, along the skip, and once
through ``F``. However small ``F``'s share is, the direct share passes
unchanged, which is why a deep stack of residual blocks keeps its gradient
(He, Zhang, Ren and Sun, 2016).
"""

import numpy as np

from ._checks import as_float_array, check_type
from .module import Module, check_grad_out


class Residual(Module):
    """``y = x + module(x)``, the residual block of He et al. (2016).

    Parameters
    ----------
    module : Module
        The branch ``F``, for example
        ``Sequential([Dense(32, 32), ReLU(), Dense(32, 32)])``. Its output
        must have the shape of its input, since the two are added.

    Notes
    -----
    The block holds no parameters of its own: ``parameters()`` and
    ``gradients()`` are the branch's. It shows its branch as ``layers``, a
    list of one module, as a ``Sequential`` shows its layers, so that the
    gradient checker and ``save_weights`` name the branch's arrays
    ``layers[0].W`` (and ``layers[0].layers[2].W`` for a Sequential branch,
    ``layers[3].layers[0].W`` for a block at index 3 of a Sequential), and a
    module used both inside and outside the block is refused as any module
    used twice. ``train()`` and ``eval()`` reach the branch.

    While ``fit`` trains, the first module of the network skips ``dL/dX``
    of the data (``input_grad`` False). If that module is inside this
    block's branch, the branch's backward returns None, and so does the
    block's: the gradient of the data is not needed.
    """

    def __init__(self, module):
        check_type(module, "module", Module,
                   "a Module such as Sequential([Dense(8, 8), ReLU()])")
        self.module = module
        self.out = None

    @property
    def layers(self):
        """``[module]``: the branch, for the helpers that walk a network."""
        return [self.module]

    def forward(self, x):
        """Return ``x + module(x)``.

        Parameters
        ----------
        x : array_like of shape (batch, ...)

        Returns
        -------
        ndarray of the shape of ``x``

        Raises
        ------
        ValueError
            If the branch changes the shape of its input.
        """
        x = as_float_array(x, "x")
        F = self.module.forward(x)
        if np.shape(F) != x.shape:
            raise ValueError(
                f"Residual adds the input to the output of its module, so "
                f"the module must keep the shape: input of shape {x.shape}, "
                f"module output of shape {np.shape(F)}. Use a branch that "
                f"maps n features to n (e.g. Dense(n, n))."
            )
        self.out = x + F          # a new array: F may be the branch's cache
        return self.out

    def backward(self, grad_out):
        """Return ``dL/dx = grad_out + module.backward(grad_out)``.

        The derivative of ``x + F(x)`` is ``I + J_F``, so the vector-Jacobian
        product with ``grad_out`` is ``grad_out`` (the skip) plus the
        branch's own backward. The branch stores its parameter gradients.

        Parameters
        ----------
        grad_out : ndarray, the shape of the forward output

        Returns
        -------
        ndarray of the shape of ``x``, or None if the branch skipped its
        input gradient (``input_grad`` False on its first module)
        """
        check_grad_out(self, grad_out, self.out)
        dF = self.module.backward(grad_out)
        if dF is None:
            return None
        return grad_out + dF

    def parameters(self):
        """The branch's parameter arrays."""
        return self.module.parameters()

    def gradients(self):
        """The branch's gradients, matching ``parameters()``."""
        return self.module.gradients()

    def train(self, mode=True):
        """Set training mode on the block and on its branch; return self."""
        self.training = bool(mode)
        self.module.train(mode)
        return self

    def __repr__(self):
        inner = repr(self.module).replace("\n", "\n  ")
        return f"Residual({inner})"
