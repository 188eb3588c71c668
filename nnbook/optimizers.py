"""Optimizers: turn gradients into parameter updates.

``step(params, grads)`` updates each parameter array in place, so the arrays
a layer holds (``Dense.W``, ``Dense.b``) are the ones that change. Any state
(momentum, Adam's averages) belongs to the parameter arrays of the first
step: an optimizer refuses a later step with other arrays, or with a
gradient of another shape than its parameter, instead of mixing them up.
Use one optimizer per model.
"""

import numpy as np

from ._checks import check_in_range, check_positive


class Optimizer:
    """Base class: ``step`` checks its arguments, ``update`` does the math."""

    params = None       # the arrays of the first step, whose state we keep
    shapes = None       # and their shapes

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads``.

        Parameters
        ----------
        params : list of ndarray
            As ``model.parameters()`` returns them.
        grads : list of ndarray
            The matching gradients, as ``model.gradients()`` returns them.
        """
        params, grads = list(params), list(grads)
        if len(params) != len(grads):
            raise ValueError(
                f"got {len(params)} parameters but {len(grads)} gradients."
            )
        if self.params is None:
            for i, p in enumerate(params):
                if not (isinstance(p, np.ndarray) and p.dtype.kind == "f"):
                    raise TypeError(
                        f"params[{i}] must be a float ndarray (such as a "
                        f"layer's W), got {type(p).__name__}."
                    )
            self.params, self.shapes = params, [p.shape for p in params]
        elif list(map(id, params)) != list(map(id, self.params)):
            raise ValueError(
                f"{self!r} got other parameter arrays than at its first step "
                f"(then {len(self.params)} arrays, now {len(params)}). Its "
                f"state belongs to the first ones: create a new optimizer "
                f"for each model."
            )
        try:
            shapes = [g.shape for g in grads]
        except AttributeError:               # None, or a list: see below
            shapes = None
        if shapes != self.shapes:
            for i, (shape, g) in enumerate(zip(self.shapes, grads)):
                if g is None:
                    raise RuntimeError(
                        "a gradient is None: call backward before step."
                    )
                if getattr(g, "shape", None) != shape:
                    raise ValueError(
                        f"grads[{i}] must have the shape of params[{i}], "
                        f"{shape}, got {getattr(g, 'shape', type(g).__name__)}."
                    )
        self.update(params, grads)

    def update(self, params, grads):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum.

    Without momentum: ``p -= lr * g``. With momentum ``mu`` (as PyTorch):
    ``v = mu * v + g``, then ``p -= lr * v``.
    """

    def __init__(self, lr, momentum=0.0):
        check_positive(lr, "lr")
        check_in_range(momentum, "momentum", 0.0, 1.0)
        self.lr = lr
        self.momentum = momentum
        self.velocity = None

    def update(self, params, grads):
        if self.momentum == 0.0:
            for p, g in zip(params, grads):
                p -= self.lr * g
            return
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocity):
            v *= self.momentum
            v += g
            p -= self.lr * v

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum})"


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015).

    ``m = beta1 m + (1 - beta1) g`` and ``v = beta2 v + (1 - beta2) g**2``,
    corrected for their zero start by ``1 - beta**t``, then
    ``p -= lr * m_hat / (sqrt(v_hat) + eps)``.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        check_positive(lr, "lr")
        check_in_range(beta1, "beta1", 0.0, 1.0)
        check_in_range(beta2, "beta2", 0.0, 1.0)
        check_positive(eps, "eps")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = None
        self.v = None
        self.t = 0

    def update(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        correction1 = 1 - self.beta1**self.t
        correction2 = 1 - self.beta2**self.t
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            m_hat = m / correction1
            v_hat = v / correction2
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def __repr__(self):
        return (f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, "
                f"eps={self.eps})")
