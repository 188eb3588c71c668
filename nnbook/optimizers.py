"""Optimizers: turn gradients into parameter updates, in place.

An optimizer's state (momentum, Adam's averages) belongs to the arrays of
its first ``step``: a later step with other arrays, or a gradient not shaped
like its parameter, is refused. Use one optimizer per model.
"""

import math
import operator

import numpy as np

from ._checks import check_in_range, check_positive, check_type

_shape = operator.attrgetter("shape")


class Optimizer:
    """Base class: ``step`` checks its arguments, ``update`` does the math."""

    first = None        # the arrays of the first step, whose state we keep,
    shapes = None       # and their shapes
    shown = ("lr",)     # the hyper-parameters repr shows,
    optional = ()       # some only when set (not 0 or False)

    def step(self, params, grads):
        """Update the arrays ``params`` (``model.parameters()``) in place
        from the matching ``grads`` (``model.gradients()``)."""
        params, grads = list(params), list(grads)
        first = self.first
        if (first is None or len(params) != len(first)
                or not all(map(operator.is_, params, first))):
            self._check_params(params)           # the first step, or a mix-up
        try:
            shapes = list(map(_shape, grads))
        except AttributeError:                   # None, or a list
            shapes = None
        if shapes != self.shapes:
            self._check_grads(grads)
        self.update(params, grads)

    def _check_params(self, params):
        if self.first is not None:
            raise ValueError(f"{self!r} got other parameter arrays than at its "
                             f"first step (then {len(self.first)} arrays, now "
                             f"{len(params)}). Its state belongs to the first "
                             "ones: create a new optimizer for each model.")
        for i, p in enumerate(params):
            if not (isinstance(p, np.ndarray) and p.dtype.kind == "f"):
                raise TypeError(f"params[{i}] must be a float ndarray (such as a "
                                f"layer's W), got {type(p).__name__}.")
        self.first, self.shapes = params, list(map(_shape, params))

    def _check_grads(self, grads):
        if len(grads) != len(self.shapes):
            raise ValueError(f"got {len(self.shapes)} parameters but "
                             f"{len(grads)} gradients.")
        for i, (shape, g) in enumerate(zip(self.shapes, grads)):
            if g is None:
                raise RuntimeError("a gradient is None: call backward before step.")
            if getattr(g, "shape", None) != shape:
                got = getattr(g, "shape", type(g).__name__)
                raise ValueError(f"grads[{i}] must have the shape of params[{i}], "
                                 f"{shape}, got {got}.")

    def update(self, params, grads):
        raise NotImplementedError

    def __repr__(self):
        args = [f"{name}={getattr(self, name)}" for name in self.shown
                if name not in self.optional or getattr(self, name)]
        return f"{type(self).__name__}({', '.join(args)})"


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, as PyTorch's.

    With ``weight_decay`` ``wd``, first ``g = g + wd * p`` (L2). Without
    momentum: ``p -= lr * g``. With momentum ``mu``: ``v = mu * v + g``
    (``v`` starts at 0), ``p -= lr * v``; ``nesterov=True`` (needs
    ``mu > 0``) looks ahead: ``p -= lr * (g + mu * v)``.
    """

    shown = ("lr", "momentum", "nesterov", "weight_decay")
    optional = ("nesterov", "weight_decay")

    def __init__(self, lr, momentum=0.0, *, nesterov=False, weight_decay=0.0):
        check_positive(lr, "lr")
        check_in_range(momentum, "momentum", 0.0, 1.0)
        check_type(nesterov, "nesterov", bool, "True or False")
        check_in_range(weight_decay, "weight_decay", 0.0, math.inf)
        if nesterov and momentum == 0:
            raise ValueError("nesterov=True needs a momentum > 0, got "
                             "momentum=0.0 (without a velocity there is "
                             "nothing to look ahead with).")
        self.lr, self.momentum, self.nesterov = lr, momentum, nesterov
        self.weight_decay, self.velocity = weight_decay, None

    def update(self, params, grads):
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        if mu == 0.0:
            for p, g in zip(params, grads):
                if wd:
                    g = g + wd * p                 # L2 term in the gradient
                p -= lr * g
            return
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocity):
            if wd:
                g = g + wd * p                     # L2 term in the gradient
            v *= mu
            v += g                                 # v = mu v + g
            p -= lr * (g + mu * v if self.nesterov else v)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015), as PyTorch's ``torch.optim.Adam``.

    With ``weight_decay`` ``wd``, first ``g = g + wd * p`` (L2, which Adam
    rescales; ``AdamW`` decouples it). ``m = beta1 m + (1 - beta1) g``,
    ``v = beta2 v + (1 - beta2) g**2``, each divided by ``1 - beta**t`` for
    its zero start, then ``p -= lr * m_hat / (sqrt(v_hat) + eps)``.
    """

    shown = ("lr", "beta1", "beta2", "eps", "weight_decay")
    optional = ("weight_decay",)

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 weight_decay=0.0):
        check_positive(lr, "lr")
        check_in_range(beta1, "beta1", 0.0, 1.0)
        check_in_range(beta2, "beta2", 0.0, 1.0)
        check_positive(eps, "eps")
        check_in_range(weight_decay, "weight_decay", 0.0, math.inf)
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.weight_decay, self.m, self.v, self.t = weight_decay, None, None, 0

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


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as
    ``torch.optim.AdamW``: ``p *= 1 - lr * weight_decay`` (default 0.01),
    then ``Adam``'s step from the plain gradient."""

    optional = ()

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps, weight_decay=weight_decay)

    def update(self, params, grads):
        for p in params:
            p *= 1 - self.lr * self.weight_decay    # decoupled decay
        self.adam_update(params, grads)


class RMSProp(Optimizer):
    """RMSProp (Tieleman and Hinton, 2012), as PyTorch's ``RMSprop``:
    ``v = alpha v + (1 - alpha) g**2`` (from 0, no bias correction), then
    ``p -= lr * g / (sqrt(v) + eps)``."""

    shown = ("lr", "alpha", "eps")

    def __init__(self, lr, alpha=0.99, eps=1e-8):
        check_positive(lr, "lr")
        check_in_range(alpha, "alpha", 0.0, 1.0)
        check_positive(eps, "eps")
        self.lr, self.alpha, self.eps, self.v = lr, alpha, eps, None

    def update(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.v):
            v *= self.alpha
            v += (1 - self.alpha) * g * g           # v = alpha v + (1-alpha) g^2
            p -= self.lr * g / (np.sqrt(v) + self.eps)


class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan and Singer, 2011), as PyTorch's ``Adagrad``:
    ``G = G + g**2`` (from 0), then ``p -= lr * g / (sqrt(G) + eps)``, so
    each coordinate's learning rate only shrinks."""

    shown = ("lr", "eps")

    def __init__(self, lr, eps=1e-10):
        check_positive(lr, "lr")
        check_positive(eps, "eps")
        self.lr, self.eps, self.G = lr, eps, None

    def update(self, params, grads):
        if self.G is None:
            self.G = [np.zeros_like(p) for p in params]
        for p, g, G in zip(params, grads, self.G):
            G += g * g                              # G = G + g^2
            p -= self.lr * g / (np.sqrt(G) + self.eps)

