"""The base class of every layer: ``forward`` then ``backward``."""


class Module:
    """A step of a network that can run forward and send gradients back.

    A module's ``forward(x)`` computes its output and keeps what ``backward``
    will need. ``backward(grad_out)`` takes the gradient of the loss with
    respect to that output, ``dL/d(out)``, and returns the gradient with
    respect to the input, ``dL/dx``, of the same shape as ``x``.
    """

    param_names = ()  # names of the arrays parameters() returns, in order

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        """Return the module's output; keep what ``backward`` will need."""
        raise NotImplementedError

    def backward(self, grad_out):
        """Return ``dL/d(input)`` from ``grad_out = dL/d(output)``."""
        raise NotImplementedError

    def parameters(self):
        """The module's parameter arrays (none for an activation)."""
        return []

    def gradients(self):
        """The gradients of the last ``backward``, in ``parameters()`` order."""
        return []

    def __repr__(self):
        return f"{type(self).__name__}()"


def check_grad_out(module, grad_out, out):
    """Raise unless ``grad_out`` matches the output of the last forward.

    ``out`` is the array the module cached in ``forward`` (None before any
    forward); ``grad_out`` must have its shape.
    """
    if out is None:
        raise RuntimeError(
            f"{type(module).__name__}.backward called before forward."
        )
    if grad_out.shape != out.shape:
        raise ValueError(
            f"{type(module).__name__}.backward expected grad_out of shape "
            f"{out.shape} (the shape of the forward output), "
            f"got {grad_out.shape}."
        )


def _named(module, what, prefix=""):
    """Pairs ``("layers[i].W", array)`` for a Sequential, ``("W", array)`` else.

    ``what`` is ``"parameters"`` or ``"gradients"``; the names come from each
    module's ``param_names``. The gradient checker reports its errors under
    these names, and the weight files of ``nnbook.persistence`` store the
    arrays under them.
    """
    if hasattr(module, "layers"):
        for i, layer in enumerate(module.layers):
            yield from _named(layer, what, f"{prefix}layers[{i}].")
    else:
        for name, arr in zip(module.param_names, getattr(module, what)()):
            yield prefix + name, arr
