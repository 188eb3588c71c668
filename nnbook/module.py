"""The base class of every layer: ``forward`` then ``backward``."""


class Module:
    """A step of a network that can run forward and send gradients back.

    The contract every module follows (``Dense`` and the activations do):

    - ``forward(x)`` computes the output and keeps what ``backward`` needs.
    - ``backward(grad_out)`` takes ``dL/d(output)``, stores the gradient of
      each parameter ``P`` as ``dP``, and returns ``dL/dx``, shaped like ``x``.
    - ``param_names`` names the parameter arrays once, e.g. ``("W", "b")``;
      ``parameters()`` and ``gradients()`` are derived from it, so they can
      never fall out of step.
    - ``buffer_names`` names the arrays that are state but not trained, such
      as ``BatchNorm``'s ``("running_mean", "running_var")``: no gradient,
      no optimizer step, but saved and loaded with the parameters
      (``buffers()`` is derived from it).
    - ``training`` is True in training and False in evaluation (``train()``
      and ``eval()`` set it); a module that behaves differently in the two,
      such as dropout, reads it in ``forward``.
    - ``input_grad``: when False, ``backward`` may skip ``dL/dx`` and return
      None. ``fit`` sets it on the first layer, whose input is the data.
    """

    param_names = ()     # names of the parameter arrays, e.g. ("W", "b")
    buffer_names = ()    # names of saved, untrained arrays (running statistics)
    training = True      # train() / eval() set it on the instance
    input_grad = True    # False: backward may return None instead of dL/dx

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        """Return the module's output; keep what ``backward`` will need."""
        raise NotImplementedError

    def backward(self, grad_out):
        """Return ``dL/d(input)`` from ``grad_out = dL/d(output)``."""
        raise NotImplementedError

    def parameters(self):
        """The parameter arrays, in ``param_names`` order (none for ReLU)."""
        return [getattr(self, name) for name in self.param_names]

    def gradients(self):
        """``dP`` for each parameter ``P`` of the last ``backward``."""
        return [getattr(self, "d" + name) for name in self.param_names]

    def buffers(self):
        """The saved but untrained arrays, in ``buffer_names`` order."""
        return [getattr(self, name) for name in self.buffer_names]

    def train(self, mode=True):
        """Switch to training mode (or evaluation, ``mode=False``); return self."""
        self.training = bool(mode)
        return self

    def eval(self):
        """Switch to evaluation mode; return self."""
        return self.train(False)

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
    if getattr(grad_out, "shape", None) != out.shape:
        raise ValueError(
            f"{type(module).__name__}.backward expected grad_out of shape "
            f"{out.shape} (the shape of the forward output), "
            f"got {getattr(grad_out, 'shape', type(grad_out).__name__)}."
        )


def leaves(module):
    """The modules that do the work, in order: a Sequential's layers, flattened."""
    if hasattr(module, "layers"):
        return [leaf for layer in module.layers for leaf in leaves(layer)]
    return [module]


def _named(module, what, prefix=""):
    """Pairs ``("layers[i].W", array)`` for a Sequential, ``("W", array)`` else.

    ``what`` is ``"parameters"``, ``"gradients"`` or ``"buffers"``; the
    names come from each module's ``param_names`` (``buffer_names`` for the
    buffers, e.g. ``"layers[1].running_mean"``). The gradient checker
    reports its errors under these names, and the weight files of
    ``nnbook.persistence`` store the arrays under them.
    """
    if hasattr(module, "layers"):
        for i, layer in enumerate(module.layers):
            yield from _named(layer, what, f"{prefix}layers[{i}].")
    else:
        names = module.buffer_names if what == "buffers" else module.param_names
        for name, arr in zip(names, getattr(module, what)()):
            yield prefix + name, arr
