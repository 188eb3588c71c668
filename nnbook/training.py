"""Mini-batch training: ``fit``."""

import math
import numbers
from collections.abc import Callable

import numpy as np

from ._checks import (as_float_array, check_finite, check_int,
                      check_samples, check_type, make_rng)
from .activations import Softmax
from .losses import CrossEntropy, Loss
from .module import Module, leaves
from .network import check_unique
from .optimizers import Optimizer


def fit(model, loss, optimizer, X, y, *, epochs, batch_size=32, rng=None,
        validation_data=None, verbose=0, lr_schedule=None):
    """Train ``model`` on ``(X, y)`` with mini-batch gradient descent.

    Every target of ``y`` (and ``y_val``) is checked before the first
    update: refused data leave the model unchanged. Each epoch takes one
    optimizer step per batch in training mode, then validates in evaluation
    mode. The model's mode, its first layer's ``input_grad`` and the loss's
    ``check_targets`` (off while it trains) are restored.

    Parameters
    ----------
    model : Module, such as ``Sequential([...])``
    loss : Loss, such as ``CrossEntropy()``
    optimizer : Optimizer, such as ``SGD(0.1)``
    X : array_like of shape (n_samples, n_features), or (n_samples, ...)
        Samples on axis 0, e.g. ``(n_samples, channels, height, width)``.
    y : array_like of shape (n_samples,) or (n_samples, n_outputs)
        Targets in the form ``loss`` takes.
    epochs : int >= 0
    batch_size : int >= 1, default 32
        The last batch of an epoch keeps what is left.
    rng : np.random.Generator or int or None
        Shuffles the samples; the same seed gives the same training.
    validation_data : tuple (X_val, y_val), optional
        Evaluated after every epoch; ``X_val.shape[1:] == X.shape[1:]``.
    verbose : int, default 0
        Print a line every ``verbose`` epochs and after the last (0: never).
    lr_schedule : function of the step, or None
        Such as ``nnbook.cosine(100)``: before step ``t = 0, 1, ...``
        (over all batches) ``optimizer.lr = base_lr * lr_schedule(t)``, a
        finite factor >= 0; ``base_lr``, the starting ``lr``, is put back.

    Returns
    -------
    history : dict of lists, one entry per epoch
        ``"loss"`` (mean training loss); with ``validation_data`` also
        ``"val_loss"`` and, for a classification loss, ``"val_accuracy"``.

    Raises
    ------
    FloatingPointError
        If training diverges (an overflow, a NaN or infinite loss): one
        line naming the epoch and batch.
    """
    check_type(model, "model", Module, "a Module such as Sequential([...])")
    check_type(loss, "loss", Loss, "a Loss such as MSE()")
    check_type(optimizer, "optimizer", Optimizer, "an Optimizer such as SGD(0.1)")
    check_int(epochs, "epochs", 0)
    check_int(batch_size, "batch_size", 1)
    check_int(verbose, "verbose", 0)
    schedule = None if lr_schedule is None else _Schedule(lr_schedule, optimizer)
    check_unique([model])
    _check_no_softmax_before_cross_entropy(model, loss)
    dtype = _model_dtype(model)
    X, y = _check_data(X, y, dtype, "X", "y")
    parts = [(X, y, "X")]
    if validation_data is not None:
        X_val, y_val = _check_validation_data(validation_data, X, dtype)
        parts.append((X_val, y_val, "X_val"))
    rng = make_rng(rng)
    history = {"loss": [], "val_loss": []} if len(parts) > 1 else {"loss": []}
    first = leaves(model)[0]
    was_training, first_input_grad = model.training, first.input_grad
    check_targets = loss.check_targets
    # Our losses and activations never overflow on sane values: an overflow
    # or a NaN means the weights blow up. Stop at once, with a clear message.
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            model.eval()
            for X_part, y_part, name in parts:
                _check_targets(model, loss, X_part[:batch_size], y_part, name)
            first.input_grad = False           # dL/dX of the data: unused
            loss.check_targets = False         # every target is checked
            for epoch in range(1, epochs + 1):
                model.train()
                epoch_loss = _train_epoch(model, loss, optimizer, X, y,
                                          batch_size, rng, epoch, schedule)
                history["loss"].append(epoch_loss)
                report = (f"epoch {epoch:>{len(str(epochs))}}/{epochs}  "
                          f"loss {_number(epoch_loss)}")
                if validation_data is not None:
                    report += _validate(model.eval(), loss, X_val, y_val,
                                        history, epoch, optimizer)
                if verbose and (epoch % verbose == 0 or epoch == epochs):
                    print(report)
    finally:
        first.input_grad = first_input_grad
        loss.check_targets = check_targets
        model.train(was_training)
        if schedule is not None:
            optimizer.lr = schedule.base_lr
    return history


def _train_epoch(model, loss, optimizer, X, y, batch_size, rng, epoch,
                 schedule=None):
    """One pass over the shuffled data; returns the mean loss of the epoch."""
    n = len(X)
    order = rng.permutation(n)
    params = model.parameters()  # updated in place, so the list stays valid
    gradients = _gradient_reader(model)      # model.gradients, but cheaper
    total = 0.0
    for start in range(0, n, batch_size):
        batch = order[start:start + batch_size]
        try:
            out = model.forward(X.take(batch, axis=0))   # X[batch], faster
            try:
                batch_loss = loss.forward(out, y[batch])
            except (ValueError, FloatingPointError):  # y is checked: the
                if not np.isfinite(out).all():        # output is to blame
                    raise FloatingPointError(
                        "the network's output is not finite") from None
                raise
            if not math.isfinite(batch_loss):
                raise FloatingPointError(f"the loss is {batch_loss}")
            model.backward(loss.backward())
            if schedule is not None:
                schedule.set_lr()
            optimizer.step(params, gradients())
        except FloatingPointError as exc:
            raise FloatingPointError(
                f"training diverged at epoch {epoch}, batch "
                f"{start // batch_size + 1} ({exc}). Try a smaller learning "
                f"rate (the optimizer is {optimizer!r})."
            ) from None                  # one line, no chained traceback
        total += batch_loss * len(batch)
    return total / n


def _number(x):
    """``x`` with 4 decimals, or 4 significant digits from 1e6 on (1e+270)."""
    return f"{x:.4f}" if abs(x) < 1e6 else f"{x:.4g}"


def _gradient_reader(model):
    """``model.gradients``, read from ``(module, "dW")`` pairs looked up once."""
    pairs = [(leaf, name) for leaf in leaves(model) for name in leaf.param_names]
    if [id(getattr(*pair)) for pair in pairs] != list(map(id, model.parameters())):
        return model.gradients
    modules = [leaf for leaf, _ in pairs]
    names = ["d" + name for _, name in pairs]
    return lambda: list(map(getattr, modules, names))


class _Schedule:
    """Sets ``optimizer.lr = base_lr * lr_schedule(t)`` before step ``t``."""

    def __init__(self, lr_schedule, optimizer):
        check_type(lr_schedule, "lr_schedule", Callable,
                   "a function of the step (such as nnbook.cosine(100)) or None")
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"lr_schedule needs an optimizer with an lr attribute, "
                            f"got {type(optimizer).__name__}.")
        self.lr_schedule, self.optimizer = lr_schedule, optimizer
        self.base_lr, self.t = optimizer.lr, 0

    def set_lr(self):
        factor = self.lr_schedule(self.t)
        if not (isinstance(factor, numbers.Real) and 0 <= factor < math.inf):
            raise ValueError(f"lr_schedule({self.t}) must be a finite number >= 0, "
                             f"got {factor!r}.")
        self.optimizer.lr = self.base_lr * factor
        self.t += 1


def _validate(model, loss, X_val, y_val, history, epoch, optimizer):
    """Append the validation loss (and accuracy) to history; return a report."""
    try:
        out = model.forward(X_val)
        if not np.isfinite(out).all():
            raise FloatingPointError("the network's output is not finite")
        history["val_loss"].append(loss.forward(out, y_val))
    except FloatingPointError as exc:
        raise FloatingPointError(
            f"training diverged at epoch {epoch}, on the validation data ({exc}). "
            f"Try a smaller learning rate (the optimizer is {optimizer!r})."
        ) from None                      # one line, as for a training batch
    report = f"  val_loss {_number(history['val_loss'][-1])}"
    accuracy = loss.accuracy(out, y_val)          # None for a regression
    if accuracy is not None:
        history.setdefault("val_accuracy", []).append(accuracy)
        report += f"  val_accuracy {accuracy:.4f}"
    return report


def _check_targets(model, loss, X_first, y, x_name):
    """Let the loss check every target of ``y`` against the model's output on
    ``X_first``, its first row repeated: the checks read its shape, not values."""
    try:
        out = model.forward(X_first)
        if not np.isfinite(out).all():
            raise FloatingPointError("it holds NaN or infinite values")
    except FloatingPointError as exc:
        raise ValueError(f"the model's output on the first batch of {x_name} is "
                         f"not finite before training ({exc}): check its "
                         f"weights and layers.") from None
    loss.forward(np.repeat(out[:1], len(y), axis=0), y)


def _check_no_softmax_before_cross_entropy(model, loss):
    if isinstance(loss, CrossEntropy) and isinstance(leaves(model)[-1], Softmax):
        raise ValueError("the model ends in a Softmax layer, but CrossEntropy "
                         "applies softmax itself and takes logits: remove the "
                         "last Softmax layer (apply nnbook.softmax to the output "
                         "for probabilities).")


def _model_dtype(model):
    params = model.parameters()
    return params[0].dtype if params else np.float64


def _check_validation_data(validation_data, X, dtype):
    """Return (X_val, y_val), checked like X and y, with samples shaped as X's."""
    if not (isinstance(validation_data, (tuple, list))
            and len(validation_data) == 2):
        got = type(validation_data).__name__
        if isinstance(validation_data, (tuple, list)):
            got += f" of length {len(validation_data)}"
        raise TypeError(f"validation_data must be a tuple (X_val, y_val), got {got}.")
    X_val, y_val = _check_data(*validation_data, dtype, "X_val", "y_val")
    if X_val.shape[1:] != X.shape[1:]:
        raise ValueError(f"X_val must hold samples of the shape of those of X, "
                         f"{X.shape[1:]} (X has shape {X.shape}), got X_val of "
                         f"shape {X_val.shape}.")
    return X_val, y_val


def _check_data(X, y, dtype, x_name, y_name):
    """Return X as a finite float array of samples (axis 0), y of equal length."""
    X = as_float_array(X, x_name, dtype)
    if X.ndim < 2:
        raise ValueError(f"{x_name} must be at least 2-D, samples on axis 0: "
                         f"shape (n_samples, n_features), or (n_samples, channels, "
                         f"height, width) for images; got shape {X.shape}.")
    check_samples(X, x_name)
    check_finite(X, x_name)
    if y is None:
        raise TypeError(f"{y_name} must be an array of targets, got None.")
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"{y_name} must be a numeric array, got dtype {y.dtype}.")
    if y.dtype.kind == "f":
        y = y.astype(dtype, copy=False)
        check_finite(y, y_name)
    if y.ndim == 0:
        raise ValueError(f"{y_name} must hold one target per sample, got a "
                         f"single number.")
    if len(X) != len(y):
        raise ValueError(f"{x_name} and {y_name} must have the same number of "
                         f"samples, got len({x_name}) = {len(X)} and "
                         f"len({y_name}) = {len(y)}.")
    return X, y
