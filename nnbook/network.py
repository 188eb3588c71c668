"""A network as a list of modules run in order."""

import numpy as np

from ._checks import make_rng
from .layers import Dense
from .module import Module, leaves


class Sequential(Module):
    """Run ``layers`` one after another; backward runs them in reverse.

    Parameters
    ----------
    layers : list of Module
        For example ``[Dense(2, 4), Tanh(), Dense(4, 1), Sigmoid()]``, each
        object once: a module keeps its last input for its backward.
    """

    def __init__(self, layers):
        if isinstance(layers, Module) or not hasattr(layers, "__iter__"):
            raise TypeError(f"layers must be a list of modules such as [Dense(2, 4), "
                            f"ReLU()], got {type(layers).__name__}.")
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer, got none.")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"layers[{i}] must be a Module (such as Dense or "
                                f"ReLU), got {type(layer).__name__}.")
        check_unique(layers)
        self.layers = layers

    def forward(self, X):
        """Return the network's output for ``X`` of shape ``(batch, n_in)``."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, grad_out):
        """Backpropagate ``dL/d(output)`` through the layers in reverse; return
        ``dL/dX`` (None if the first layer's ``input_grad`` is False, as in ``fit``)."""
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def predict(self, X):
        """The output for ``X`` in evaluation mode (the mode is restored)."""
        was_training = self.training
        self.eval()
        try:
            return self.forward(X)
        finally:
            self.train(was_training)

    def train(self, mode=True):
        """Set training mode on the network and on every layer; return self."""
        self.training = bool(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def parameters(self):
        """Every parameter array, layer by layer (``[W1, b1, W2, b2, ...]``)."""
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self):
        """The matching gradients (``[dW1, db1, dW2, db2, ...]``)."""
        return [g for layer in self.layers for g in layer.gradients()]

    def __repr__(self):
        inner = "".join(f"\n  {layer!r}," for layer in self.layers)
        return f"Sequential([{inner}\n])"


def check_unique(layers):
    """Raise ``ValueError`` if one module object appears twice in ``layers``."""
    seen = {}
    modules = [leaf for layer in layers for leaf in leaves(layer)]
    for i, layer in enumerate(modules):
        if id(layer) in seen:
            raise ValueError(
                f"the same {layer!r} object appears twice in the network (modules "
                f"{seen[id(layer)]} and {i}, counting from 0). A module keeps the "
                f"input of its last forward for backward, so it can be used only "
                f"once: create a new one for each place, e.g. Dense(...) twice."
            )
        seen[id(layer)] = i


def mlp(sizes, activation, *, init="he", rng=None, dtype=np.float64):
    """A multi-layer perceptron: ``Dense`` layers with an activation between.

    ``mlp([64, 32, 32, 10], ReLU)`` is
    ``Sequential([Dense(64, 32), ReLU(), Dense(32, 32), ReLU(), Dense(32, 10)])``:
    a new ``activation()`` after every ``Dense`` but the last, which outputs
    logits. ``sizes`` is ``[n_in, hidden_1, ..., n_out]`` (at least two);
    ``init`` and ``dtype`` go to every ``Dense``; one generator from ``rng``
    draws all the weights in order, so the same seed gives the same network.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes must hold at least n_in and n_out, got {sizes}.")
    if not (isinstance(activation, type) and issubclass(activation, Module)):
        raise TypeError(f"activation must be a Module class such as ReLU (not "
                        f"ReLU()), got {activation!r}.")
    rng = make_rng(rng)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [Dense(n_in, n_out, init=init, rng=rng, dtype=dtype),
                   activation()]
    return Sequential(layers[:-1])  # no activation after the output layer
