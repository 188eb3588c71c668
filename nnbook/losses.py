"""Loss functions. Every loss is a mean, and its gradient is of the mean.

``forward`` refuses NaN, infinite or complex values, empty batches and
targets of the wrong shape or range, saying what to change.
"""

import math

import numpy as np

from ._checks import (as_float_array, check_2d, check_finite,
                      check_same_shape, check_samples)


class Loss:
    """Base class: ``loss(pred, target)`` is ``loss.forward(pred, target)``.

    ``check_targets = False`` lets ``forward`` skip the checks that only read
    ``target``, and ``CrossEntropy`` its look for NaN or +inf logits, whose
    ``inf - inf`` NumPy would only warn about: ``fit`` sets it while it trains
    on checked targets, under an ``np.errstate`` that makes that an error.
    Unchecked targets must be valid (a label out of range is not caught).
    """

    check_targets = True

    def __call__(self, pred, target):
        return self.forward(pred, target)

    def forward(self, pred, target):
        """Return the loss for ``pred`` against ``target``, as a float."""
        raise NotImplementedError

    def backward(self):
        """Return ``dL/dpred`` for the last ``forward``, shaped like ``pred``."""
        raise NotImplementedError

    def accuracy(self, pred, target):
        """Fraction of correct predictions, or None for a regression loss."""
        return None

    def _check_forward_called(self, cached):
        if cached is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward.")

    def __repr__(self):
        return f"{type(self).__name__}()"


def _pred_and_target(pred, target):
    """Both as float arrays of one shape, in the dtype of ``pred``."""
    pred = as_float_array(pred, "pred")
    target = as_float_array(target, "target", pred.dtype)
    check_samples(pred, "pred")
    check_same_shape(pred, target)
    return pred, target


class MSE(Loss):
    """Mean squared error over all ``N`` entries, as ``torch.nn.MSELoss``.

    ``L = mean((pred - target)**2)``, ``N = pred.size`` (``B * n_out``).
    """

    diff = None          # pred - target of the last forward

    def forward(self, pred, target):
        """The mean squared error of ``pred`` and ``target`` (one shape,
        e.g. (batch, n_out)), a float."""
        pred, target = _pred_and_target(pred, target)
        self.diff = pred - target
        loss = float(np.mean(self.diff * self.diff))
        if not math.isfinite(loss):  # name the array that made it
            check_finite(pred, "pred")
            check_finite(target, "target")
        return loss

    def backward(self):
        """Return ``dL/dpred = 2 (pred - target) / N``, shaped like ``pred``."""
        self._check_forward_called(self.diff)
        return 2.0 * self.diff / self.diff.size


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on probabilities, as ``torch.nn.BCELoss``.

    ``L = -mean(y log p + (1 - y) log(1 - p))`` over all ``N = p.size``
    entries (``B * n_out``). ``p`` is a probability (a ``Sigmoid``'s output,
    not a logit), clipped to ``[c, 1 - c]`` (``c`` the machine epsilon of its
    dtype), so ``p = 0`` or ``1`` gives a large but finite loss and gradient.
    """

    p = y = None         # the clipped pred and the target of the last forward

    def forward(self, pred, target):
        """The binary cross-entropy, a float, of probabilities ``pred``
        (e.g. shape (batch, 1)) against ``target`` in [0, 1], same shape."""
        p, y = _pred_and_target(pred, target)
        _check_probabilities(p, "pred must be probabilities",
                             " Did you forget a Sigmoid after the last "
                             "layer? BinaryCrossEntropy takes probabilities, "
                             "not logits.")
        if self.check_targets:
            _check_probabilities(y, "target must be", "")
        c = np.finfo(p.dtype).eps
        self.p = np.clip(p, c, 1 - c)
        self.y = y
        log_likelihood = y * np.log(self.p) + (1 - y) * np.log1p(-self.p)
        loss = float(-np.mean(log_likelihood))
        if not math.isfinite(loss):
            check_finite(p, "pred")
            check_finite(y, "target")
        return loss

    def backward(self):
        """Return ``dL/dp = (p - y) / (p (1 - p)) / N`` with ``p`` clipped,
        shaped like ``pred``."""
        self._check_forward_called(self.p)
        p, y = self.p, self.y
        return (p - y) / (p * (1 - p)) / p.size

    def accuracy(self, pred, target):
        return float(np.mean((np.asarray(pred) > 0.5) == (np.asarray(target) > 0.5)))


def _check_probabilities(x, rule, hint):
    low, high = x.min(), x.max()
    if low < 0 or high > 1:
        raise ValueError(f"{rule} in [0, 1], got values from {low} to {high}.{hint}")


class CrossEntropy(Loss):
    """Softmax and categorical cross-entropy in one, as ``torch.nn.CrossEntropyLoss``.

    Takes logits ``z`` (before any softmax), computes ``p = softmax(z)``
    row by row and ``L = -mean over the B samples of sum_k y_k log p_k``.
    The fused gradient ``dL/dz = (p - y) / B`` holds only because the
    softmax is inside and each target row sums to 1: a network trained with
    this loss must *not* end in a ``Softmax`` layer (``fit`` refuses one).
    """

    e = total = None     # exp(z - row max) and its row sums: p = e / total
    labels = y = None    # the target: labels, or one-hot rows
    at = None            # the labels' places in z.ravel(): row * n_classes + label
    starts, width = (), None  # row * n_classes for each row, kept between batches

    def forward(self, logits, target):
        """The mean cross-entropy of ``softmax(logits)``, a float.

        ``logits`` has shape (batch, n_classes); ``target`` holds integer
        labels of shape (batch,) in [0, n_classes), or rows of shape
        (batch, n_classes), one-hot or probabilities (>= 0, summing to 1).
        """
        z = as_float_array(logits, "logits")
        if z.ndim != 2 or z.size == 0:
            check_2d(z, "logits")
        n, n_classes = z.shape
        target = np.asarray(target)
        if target.ndim == 1:
            if self.check_targets:
                _check_labels(target, n, n_classes)
            if len(self.starts) != n or self.width != n_classes:
                self.starts, self.width = np.arange(n) * n_classes, n_classes
            self.labels, self.y, self.at = target, None, self.starts + target
        else:
            y = as_float_array(target, "target", z.dtype)
            check_same_shape(z, y)
            if self.check_targets:
                check_finite(y, "target")
                _check_rows(y)
            self.labels, self.y = None, y
        # log-sum-exp: subtract the row max so that every exp is <= 1.
        z_max = z.max(axis=1, keepdims=True)                  # (batch, 1)
        if self.check_targets and not math.isfinite(z_max.sum()):
            check_finite(z, "logits")     # NaN or +inf: no inf - inf warning
        shifted = z - z_max                                   # (batch, C)
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)                  # (batch, 1)
        self.e, self.total = e, total                         # p = e / total
        # -log p_k = log(total) - shifted_k; the log is taken n times, not nC.
        if self.labels is not None:
            picked = shifted.take(self.at).sum()    # shifted[rows, labels], faster
        else:                         # rows sum to 1; skip y = 0, as 0 * -inf
            nonzero = self.y != 0     # would be NaN (with a NumPy warning)
            picked = (self.y[nonzero] * shifted[nonzero]).sum()
        loss = float(np.log(total).sum() - picked) / n
        # A logit of -inf where the label is not gives p = 0 there, exactly.
        if not math.isfinite(loss):
            check_finite(z, "logits")
        return loss

    def backward(self):
        """Return ``dL/dz = (p - y) / B``, of shape (batch, n_classes)."""
        self._check_forward_called(self.e)
        # Fused softmax + cross-entropy: dL/dz = (p - y) / B (see class doc).
        dz = self.e / self.total                              # p, a new array
        if self.labels is not None:
            dz.reshape(-1)[self.at] -= 1.0          # dz[rows, labels] -= 1, faster
        else:
            dz -= self.y
        dz /= len(dz)
        return dz

    @property
    def p(self):
        """``softmax(logits)`` of the last forward, shape (batch, n_classes)."""
        self._check_forward_called(self.e)
        return self.e / self.total

    def accuracy(self, pred, target):
        target = np.asarray(target)
        labels = target if target.ndim == 1 else target.argmax(axis=1)
        return float(np.mean(np.asarray(pred).argmax(axis=1) == labels))


def _check_labels(labels, n, n_classes):
    if labels.dtype.kind not in "iu":
        raise TypeError(f"1-D target must hold integer class labels, got dtype "
                        f"{labels.dtype}.")
    if labels.shape[0] != n:
        raise ValueError(f"logits have {n} rows but target has "
                         f"{labels.shape[0]} labels.")
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(f"labels must be in [0, {n_classes}) for {n_classes} "
                         f"classes, got values from {labels.min()} to {labels.max()}.")


def _check_rows(y):
    if y.min() < 0:
        raise ValueError(f"one-hot target rows must be non-negative, got a smallest "
                         f"entry of {y.min():.4g}.")
    if not np.allclose(y.sum(axis=1), 1.0):
        raise ValueError("one-hot target rows must each sum to 1; got row sums "
                         f"{np.round(y.sum(axis=1)[:5], 4)}...")
