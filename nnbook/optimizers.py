"""Optimizers: turn gradients into parameter updates.

``step(params, grads)`` updates each parameter array in place, so the arrays
a layer holds (``Dense.W``, ``Dense.b``) are the ones that change. Any state
(momentum, Adam's averages) belongs to the parameter arrays of the first
step: an optimizer refuses a later step with other arrays, or with a
gradient of another shape than its parameter, instead of mixing them up.
Use one optimizer per model.
"""

import math
import operator

import numpy as np

from ._checks import check_in_range, check_positive, check_type


_shape = operator.attrgetter("shape")


def _check_weight_decay(weight_decay):
    """Raise unless ``weight_decay`` is a finite number >= 0."""
    check_in_range(weight_decay, "weight_decay", 0.0, math.inf)


class Optimizer:
    """Base class: ``step`` checks its arguments, ``update`` does the math."""

    params = None       # the arrays of the first step, whose state we keep
    ids = None          # their ids, to recognize them cheaply at each step
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
        if list(map(id, params)) != self.ids:   # the first step, or a mix-up
            self._check_params(params)
        try:
            shapes = list(map(_shape, grads))
        except AttributeError:                   # None, or a list
            shapes = None
        if shapes != self.shapes:
            self._check_grads(grads)
        self.update(params, grads)

    def _check_params(self, params):
        """Keep the first step's arrays; refuse other ones later."""
        if self.params is not None:
            raise ValueError(
                f"{self!r} got other parameter arrays than at its first step "
                f"(then {len(self.params)} arrays, now {len(params)}). Its "
                f"state belongs to the first ones: create a new optimizer "
                f"for each model."
            )
        for i, p in enumerate(params):
            if not (isinstance(p, np.ndarray) and p.dtype.kind == "f"):
                raise TypeError(
                    f"params[{i}] must be a float ndarray (such as a "
                    f"layer's W), got {type(p).__name__}."
                )
        self.params, self.shapes = params, [p.shape for p in params]
        self.ids = list(map(id, params))

    def _check_grads(self, grads):
        """Raise: a gradient is missing or not shaped like its parameter."""
        if len(grads) != len(self.shapes):
            raise ValueError(
                f"got {len(self.shapes)} parameters but {len(grads)} gradients."
            )
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

    def update(self, params, grads):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, as PyTorch's.

    With ``weight_decay`` ``wd``, first ``g = g + wd * p`` (L2 in the
    gradient). Without momentum: ``p -= lr * g``. With momentum ``mu``:
    ``v = mu * v + g`` (``v`` starts at 0), then ``p -= lr * v``; with
    ``nesterov=True`` the step looks ahead, ``p -= lr * (g + mu * v)``.
    Nesterov momentum needs ``momentum > 0`` (PyTorch refuses it too).
    """

    def __init__(self, lr, momentum=0.0, *, nesterov=False, weight_decay=0.0):
        check_positive(lr, "lr")
        check_in_range(momentum, "momentum", 0.0, 1.0)
        check_type(nesterov, "nesterov", bool, "True or False")
        _check_weight_decay(weight_decay)
        if nesterov and momentum == 0:
            raise ValueError("nesterov=True needs a momentum > 0, got "
                             "momentum=0.0 (without a velocity there is "
                             "nothing to look ahead with).")
        self.lr = lr
        self.momentum = momentum
        self.nesterov = nesterov
        self.weight_decay = weight_decay
        self.velocity = None

    def update(self, params, grads):
        mu, wd = self.momentum, self.weight_decay
        if mu == 0.0:
            for p, g in zip(params, grads):
                if wd:
                    g = g + wd * p                 # L2 term in the gradient
                p -= self.lr * g
            return
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocity):
            if wd:
                g = g + wd * p                     # L2 term in the gradient
            v *= mu
            v += g                                 # v = mu v + g
            p -= self.lr * (g + mu * v if self.nesterov else v)

    def __repr__(self):
        extra = ", nesterov=True" if self.nesterov else ""
        if self.weight_decay:
            extra += f", weight_decay={self.weight_decay}"
        return f"SGD(lr={self.lr}, momentum={self.momentum}{extra})"


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), as PyTorch's ``torch.optim.Adam``.

    With ``weight_decay`` ``wd``, first ``g = g + wd * p`` (L2 in the
    gradient, which Adam then rescales: see ``AdamW`` for the decoupled
    decay). ``m = beta1 m + (1 - beta1) g`` and
    ``v = beta2 v + (1 - beta2) g**2``, corrected for their zero start by
    ``1 - beta**t``, then ``p -= lr * m_hat / (sqrt(v_hat) + eps)``.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 weight_decay=0.0):
        check_positive(lr, "lr")
        check_in_range(beta1, "beta1", 0.0, 1.0)
        check_in_range(beta2, "beta2", 0.0, 1.0)
        check_positive(eps, "eps")
        _check_weight_decay(weight_decay)
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.weight_decay = weight_decay
        self.m = None
        self.v = None
        self.t = 0

    def update(self, params, grads):
        wd = self.weight_decay
        if wd:
            grads = [g + wd * p for p, g in zip(params, grads)]   # L2 term
        self.adam_update(params, grads)

    def adam_update(self, params, grads):
        """The Adam step proper, from the gradients ``grads``."""
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
        decay = f", weight_decay={self.weight_decay}" if self.weight_decay else ""
        return (f"{type(self).__name__}(lr={self.lr}, beta1={self.beta1}, "
                f"beta2={self.beta2}, eps={self.eps}{decay})")


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

    As PyTorch's ``torch.optim.AdamW``: first ``p *= 1 - lr * weight_decay``
    (the decay, not rescaled by Adam), then the Adam step of ``Adam`` from
    the plain gradient ``g``. The default decay is 0.01, as in PyTorch.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps, weight_decay=weight_decay)

    def update(self, params, grads):
        for p in params:
            p *= 1 - self.lr * self.weight_decay    # decoupled decay
        self.adam_update(params, grads)

    def __repr__(self):
        return (f"AdamW(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, "
                f"eps={self.eps}, weight_decay={self.weight_decay})")


class RMSProp(Optimizer):
    """RMSProp (Tieleman and Hinton, 2012), as PyTorch's ``RMSprop``.

    A moving average of the squared gradient, ``v = alpha v + (1 - alpha)
    g**2`` (``v`` starts at 0, no bias correction), and the step
    ``p -= lr * g / (sqrt(v) + eps)``.
    """

    def __init__(self, lr, alpha=0.99, eps=1e-8):
        check_positive(lr, "lr")
        check_in_range(alpha, "alpha", 0.0, 1.0)
        check_positive(eps, "eps")
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.v):
            v *= self.alpha
            v += (1 - self.alpha) * g * g           # v = alpha v + (1-alpha) g^2
            p -= self.lr * g / (np.sqrt(v) + self.eps)

    def __repr__(self):
        return f"RMSProp(lr={self.lr}, alpha={self.alpha}, eps={self.eps})"


class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan and Singer, 2011), as PyTorch's ``Adagrad``.

    The sum of all squared gradients so far, ``G = G + g**2`` (``G`` starts
    at 0), and the step ``p -= lr * g / (sqrt(G) + eps)``: each coordinate's
    learning rate only shrinks.
    """

    def __init__(self, lr, eps=1e-10):
        check_positive(lr, "lr")
        check_positive(eps, "eps")
        self.lr, self.eps = lr, eps
        self.G = None

    def update(self, params, grads):
        if self.G is None:
            self.G = [np.zeros_like(p) for p in params]
        for p, g, G in zip(params, grads, self.G):
            G += g * g                              # G = G + g^2
            p -= self.lr * g / (np.sqrt(G) + self.eps)

    def __repr__(self):
        return f"AdaGrad(lr={self.lr}, eps={self.eps})"
