"""Loss functions. Every loss is a mean, and its gradient is of the mean.

A loss's ``forward(pred, target)`` returns the loss as a Python float and
keeps what ``backward`` needs; ``backward()`` returns ``dL/dpred``, an array
shaped like ``pred``.
"""

import numpy as np

from ._checks import as_float_array, check_2d, check_same_shape


class Loss:
    """Base class: ``loss(pred, target)`` is ``loss.forward(pred, target)``."""

    def __call__(self, pred, target):
        return self.forward(pred, target)

    def forward(self, pred, target, check=True):
        """Return the loss for ``pred`` against ``target``, as a float.

        Keeps what ``backward`` needs. ``check=False`` skips the checks of
        ``target`` (its shape and values); ``fit`` passes it after the first
        epoch, whose batches have checked every target once.
        """
        raise NotImplementedError

    def backward(self):
        """Return ``dL/dpred`` for the last ``forward``, shaped like ``pred``."""
        raise NotImplementedError

    def accuracy(self, pred, target):
        """Fraction of correct predictions, or None for a regression loss."""
        return None

    def _check_forward_called(self, cached):
        if cached is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward called before forward."
            )

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Mean squared error over all elements, as ``torch.nn.MSELoss``.

    ``L = mean((pred - target)**2)``, and ``dL/dpred = 2 (pred - target) / N``
    with ``N = pred.size``.
    """

    def __init__(self):
        self.diff = None

    def forward(self, pred, target, check=True):
        """Return the mean squared error, a float.

        Parameters
        ----------
        pred, target : array_like, both of the same shape, e.g. (batch, n_out)
        check : bool, default True
            Check that the shapes agree (see :meth:`Loss.forward`).
        """
        pred = as_float_array(pred, "pred")
        target = as_float_array(target, "target", pred.dtype)
        if check:
            check_same_shape(pred, target)
        self.diff = pred - target
        return float(np.mean(self.diff * self.diff))

    def backward(self):
        """Return ``dL/dpred = 2 (pred - target) / N``.

        Returns
        -------
        ndarray of the shape of ``pred``
        """
        self._check_forward_called(self.diff)
        return 2.0 * self.diff / self.diff.size


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on probabilities, as ``torch.nn.BCELoss``.

    ``L = -mean(y log p + (1 - y) log(1 - p))`` over all elements, and
    ``dL/dp = (p - y) / (p (1 - p)) / N`` with ``N = p.size``.

    ``p`` is clipped to ``[eps, 1 - eps]`` (``eps`` the machine epsilon of its
    dtype) before the log, so ``p = 0`` or ``p = 1`` gives a large but finite
    loss and gradient instead of ``inf`` and ``nan``.
    """

    def __init__(self):
        self.p = None
        self.y = None

    def forward(self, pred, target, check=True):
        """Return the binary cross-entropy, a float.

        Parameters
        ----------
        pred : array_like of probabilities in [0, 1], e.g. shape (batch, 1)
        target : array_like of the same shape, values in [0, 1]
        check : bool, default True
            Check the target's shape and values (see :meth:`Loss.forward`).
        """
        p = as_float_array(pred, "pred")
        y = as_float_array(target, "target", p.dtype)
        if check:
            self._check_target(p, y)
        eps = np.finfo(p.dtype).eps
        self.p = np.clip(p, eps, 1 - eps)
        self.y = y
        log_likelihood = y * np.log(self.p) + (1 - y) * np.log1p(-self.p)
        return float(-np.mean(log_likelihood))

    def backward(self):
        """Return ``dL/dp = (p - y) / (p (1 - p)) / N``, with ``p`` clipped.

        Returns
        -------
        ndarray of the shape of ``pred``
        """
        self._check_forward_called(self.p)
        p, y = self.p, self.y
        return (p - y) / (p * (1 - p)) / p.size

    def accuracy(self, pred, target):
        return float(np.mean((np.asarray(pred) > 0.5) == (np.asarray(target) > 0.5)))

    @staticmethod
    def _check_target(p, y):
        check_same_shape(p, y)
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(
                f"target must be in [0, 1], got values from {y.min()} "
                f"to {y.max()}."
            )


class CrossEntropy(Loss):
    """Softmax and categorical cross-entropy in one, as ``torch.nn.CrossEntropyLoss``.

    Takes logits ``z`` (the last layer's output, before any softmax),
    computes ``p = softmax(z)`` row by row and
    ``L = -mean over the batch of sum_k y_k log p_k``.

    Its gradient with respect to the logits is the fused
    ``dL/dz = (p - y) / batch``. That short form holds only because the
    softmax is inside this loss and each target row sums to 1; a network
    trained with this loss must therefore *not* end in a ``Softmax`` layer.
    """

    def __init__(self):
        self.e = None           # exp(z - row max), kept for p and backward
        self.total = None       # its row sums
        self.labels = None
        self.rows = None
        self.y = None

    def forward(self, logits, target, check=True):
        """Return the mean cross-entropy of ``softmax(logits)``, a float.

        Parameters
        ----------
        logits : array_like of shape (batch, n_classes)
        target : ndarray
            Integer labels of shape (batch,), values in [0, n_classes), or
            one-hot (or probability) rows of shape (batch, n_classes).
        check : bool, default True
            Check the labels' type and range, or that one-hot rows sum to 1
            (see :meth:`Loss.forward`).
        """
        z = as_float_array(logits, "logits")
        check_2d(z, "logits")
        n, n_classes = z.shape
        target = np.asarray(target)
        if target.ndim == 1:
            if check:
                self._check_labels(target, n, n_classes)
            self.labels, self.y = target, None
            if self.rows is None or len(self.rows) != n:
                self.rows = np.arange(n)          # row indices 0, ..., n - 1
        else:
            y = as_float_array(target, "target", z.dtype)
            if check:
                self._check_one_hot(y, z)
            self.labels, self.y = None, y
        # log-sum-exp: subtract the row max so that every exp is <= 1.
        shifted = z - z.max(axis=1, keepdims=True)            # (batch, C)
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)                  # (batch, 1)
        self.e, self.total = e, total                         # p = e / total
        # -log p_k = log(total) - shifted_k; the log is taken n times, not nC.
        if self.labels is not None:
            picked = shifted[self.rows, self.labels].sum()
        else:
            picked = (self.y * shifted).sum()                 # rows sum to 1
        return float((np.log(total).sum() - picked) / n)

    def backward(self):
        """Return ``dL/dz = (p - y) / batch``, the gradient for the logits.

        Returns
        -------
        ndarray of shape (batch, n_classes)
        """
        self._check_forward_called(self.e)
        # Fused softmax + cross-entropy: dL/dz = (p - y) / n (see class doc).
        dz = self.e / self.total                              # p, a new array
        if self.labels is not None:
            dz[self.rows, self.labels] -= 1.0
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

    @staticmethod
    def _check_labels(labels, n, n_classes):
        if labels.dtype.kind not in "iu":
            raise TypeError(
                f"1-D target must hold integer class labels, got dtype "
                f"{labels.dtype}."
            )
        if labels.shape[0] != n:
            raise ValueError(
                f"logits have {n} rows but target has {labels.shape[0]} labels."
            )
        if n and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(
                f"labels must be in [0, {n_classes}) for {n_classes} classes, "
                f"got values from {labels.min()} to {labels.max()}."
            )

    @staticmethod
    def _check_one_hot(y, z):
        check_same_shape(z, y)
        if y.size and not np.allclose(y.sum(axis=1), 1.0):
            raise ValueError(
                "one-hot target rows must each sum to 1; got row sums "
                f"{np.round(y.sum(axis=1)[:5], 4)}..."
            )
