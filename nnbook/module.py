"""The base class of every layer: ``forward`` then ``backward``."""


class Module:
    """A step of a network that can run forward and send gradients back.

    - ``forward(x)`` computes the output and keeps what ``backward`` needs.
    - ``backward(grad_out)`` takes ``dL/d(output)``, stores the gradient of
      each parameter ``P`` as ``dP`` and returns ``dL/dx``, shaped like ``x``.
    - ``param_names`` names the parameters once, e.g. ``("W", "b")``:
      ``parameters()`` and ``gradients()`` follow from it and cannot fall
      out of step. ``buffer_names`` (and ``buffers()``) name state that is
      saved but not trained, such as ``BatchNorm``'s running statistics.
    - ``training``: True in training, False in evaluation (``train()``,
      ``eval()``); dropout, for one, reads it in ``forward``.
    - ``input_grad``: when False, ``backward`` may skip ``dL/dx`` and return
      None; ``fit`` sets it on the first layer, whose input is the data.
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
    """Raise unless ``grad_out`` has the shape of ``out``, the array the
    module cached in its last ``forward`` (None before any forward)."""
    if out is None:
        raise RuntimeError(f"{type(module).__name__}.backward called before forward.")
    if getattr(grad_out, "shape", None) != out.shape:
        got = getattr(grad_out, "shape", type(grad_out).__name__)
        raise ValueError(f"{type(module).__name__}.backward expected grad_out of "
                         f"shape {out.shape} (the shape of the forward output), "
                         f"got {got}.")


def leaves(module):
    """The modules that do the work, in order: a Sequential's layers, flattened."""
    if hasattr(module, "layers"):
        return [leaf for layer in module.layers for leaf in leaves(layer)]
    return [module]


def _named(module, what, prefix=""):
    """Pairs ``("layers[i].W", array)`` for a Sequential, ``("W", array)`` else,
    of ``what``: ``"parameters"``, ``"gradients"`` or ``"buffers"``. The names
    label the gradient checker's errors and the arrays in weight files."""
    if hasattr(module, "layers"):
        for i, layer in enumerate(module.layers):
            yield from _named(layer, what, f"{prefix}layers[{i}].")
    else:
        names = module.buffer_names if what == "buffers" else module.param_names
        for name, arr in zip(names, getattr(module, what)()):
            yield prefix + name, arr
