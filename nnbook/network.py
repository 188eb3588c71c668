"""A network as a list of modules run in order."""

import numpy as np

from ._checks import make_rng
from .layers import Dense
from .module import Module


class Sequential(Module):
    """Run ``layers`` one after another; backward runs them in reverse.

    Parameters
    ----------
    layers : list of Module
        For example ``[Dense(2, 4), Tanh(), Dense(4, 1), Sigmoid()]``.
    """

    def __init__(self, layers):
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer, got none.")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(
                    f"layers[{i}] must be a Module (such as Dense or ReLU), "
                    f"got {type(layer).__name__}."
                )
        self.layers = layers

    def forward(self, X):
        """Return the network's output for ``X`` of shape ``(batch, n_in)``."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, grad_out, input_grad=True):
        """Backpropagate ``dL/d(output)``; return ``dL/dX`` of the input.

        Each layer receives the gradient of the loss with respect to its own
        output and passes on the gradient with respect to its input.

        ``input_grad=False`` lets a first ``Dense`` layer skip ``dL/dX`` (one
        matrix product that training never uses) and returns None.
        """
        for layer in self.layers[:0:-1]:          # last layer to second
            grad_out = layer.backward(grad_out)
        first = self.layers[0]
        if not input_grad and isinstance(first, Dense):
            return first.backward(grad_out, input_grad=False)
        return first.backward(grad_out)

    def predict(self, X):
        """The network's output for ``X`` (the same as ``forward``)."""
        return self.forward(X)

    def parameters(self):
        """Every parameter array, layer by layer (``[W1, b1, W2, b2, ...]``)."""
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self):
        """The matching gradients (``[dW1, db1, dW2, db2, ...]``)."""
        return [g for layer in self.layers for g in layer.gradients()]

    def __repr__(self):
        inner = "".join(f"\n  {layer!r}," for layer in self.layers)
        return f"Sequential([{inner}\n])"


def mlp(sizes, activation, *, init="he", rng=None, dtype=np.float64):
    """A multi-layer perceptron: ``Dense`` layers with an activation between.

    ``mlp([64, 32, 32, 10], ReLU)`` is
    ``Sequential([Dense(64, 32), ReLU(), Dense(32, 32), ReLU(), Dense(32, 10)])``:
    every layer but the last is followed by a new ``activation()``, and the
    last one outputs logits (or whatever the loss expects).

    Parameters
    ----------
    sizes : sequence of int
        ``[n_in, hidden_1, ..., n_out]``, at least two sizes.
    activation : class of Module
        Called with no argument once per hidden layer, e.g. ``ReLU``.
    init : {"he", "xavier", "normal"}, default "he"
        Passed to every ``Dense``.
    rng : np.random.Generator or int or None
        One generator draws every layer's weights, in order, so the layers
        differ and the same seed gives the same network.
    dtype : numpy float dtype, default np.float64

    Returns
    -------
    Sequential
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must hold at least n_in and n_out, got {sizes}."
        )
    rng = make_rng(rng)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [Dense(n_in, n_out, init=init, rng=rng, dtype=dtype),
                   activation()]
    return Sequential(layers[:-1])  # no activation after the output layer
