"""A network as a list of modules run in order."""

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
