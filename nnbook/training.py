"""Mini-batch training: ``fit``."""

import math

import numpy as np

from ._checks import as_float_array, check_2d, check_int, make_rng


def fit(model, loss, optimizer, X, y, *, epochs, batch_size=32, rng=None,
        validation_data=None, verbose=0):
    """Train ``model`` on ``(X, y)`` with mini-batch gradient descent.

    Each epoch shuffles the samples with ``rng`` and walks through them in
    batches of ``batch_size`` (the last batch keeps whatever is left). For
    each batch: forward, loss, backward, one optimizer step.

    Parameters
    ----------
    model : Sequential (or a single Dense layer)
    loss : Loss
    optimizer : SGD or Adam
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,) or (n_samples, n_outputs)
        Targets in the form ``loss`` takes.
    epochs : int >= 0
    batch_size : int >= 1, default 32
    rng : np.random.Generator or int or None
        Shuffles the samples; the same seed gives the same training.
    validation_data : tuple (X_val, y_val), optional
        Evaluated after every epoch.
    verbose : int, default 0
        Print a one-line report every ``verbose`` epochs (and after the last);
        0 prints nothing.

    Returns
    -------
    history : dict of lists, one entry per epoch
        ``"loss"`` (mean training loss over the epoch); with
        ``validation_data``, also ``"val_loss"`` and, for a classification
        loss, ``"val_accuracy"``.

    Raises
    ------
    FloatingPointError
        If training diverges: a value overflows, or the loss becomes NaN or
        infinite. The message names the epoch and batch.
    """
    check_int(epochs, "epochs", 0)
    check_int(batch_size, "batch_size", 1)
    check_int(verbose, "verbose", 0)
    dtype = _model_dtype(model)
    X, y = _check_data(X, y, dtype, "X", "y")
    if validation_data is not None:
        X_val, y_val = _check_data(*validation_data, dtype, "X_val", "y_val")
        if X_val.shape[1] != X.shape[1]:
            raise ValueError(
                f"X_val must have the {X.shape[1]} features of X, "
                f"got {X_val.shape[1]}."
            )
    rng = make_rng(rng)
    history = {"loss": []}
    if validation_data is not None:
        history["val_loss"] = []

    # Our losses and activations never overflow on sane values, so an
    # overflow or a NaN means the weights are blowing up: stop at once with
    # a clear message instead of a NumPy warning and a model full of NaN.
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for epoch in range(1, epochs + 1):
            epoch_loss = _train_epoch(model, loss, optimizer, X, y,
                                      batch_size, rng, epoch)
            history["loss"].append(epoch_loss)
            width = len(str(epochs))
            report = f"epoch {epoch:>{width}}/{epochs}  loss {epoch_loss:.4f}"
            if validation_data is not None:
                out = model.forward(X_val)
                history["val_loss"].append(loss.forward(out, y_val))
                report += f"  val_loss {history['val_loss'][-1]:.4f}"
                accuracy = loss.accuracy(out, y_val)  # None for regression
                if accuracy is not None:
                    history.setdefault("val_accuracy", []).append(accuracy)
                    report += f"  val_accuracy {accuracy:.4f}"
            if verbose and (epoch % verbose == 0 or epoch == epochs):
                print(report)
    return history


def _train_epoch(model, loss, optimizer, X, y, batch_size, rng, epoch):
    """One pass over the shuffled data; returns the mean loss of the epoch."""
    n = len(X)
    order = rng.permutation(n)
    params = model.parameters()  # updated in place, so the list stays valid
    total = 0.0
    for start in range(0, n, batch_size):
        batch = order[start:start + batch_size]
        try:
            # The first epoch checks every target; later ones need not.
            batch_loss = loss.forward(model.forward(X[batch]), y[batch],
                                      check=epoch == 1)
            if not math.isfinite(batch_loss):
                raise FloatingPointError(f"the loss is {batch_loss}")
            # The first layer's dL/dX is never used: skip computing it.
            model.backward(loss.backward(), input_grad=False)
            optimizer.step(params, model.gradients())
        except FloatingPointError as exc:
            raise FloatingPointError(
                f"training diverged at epoch {epoch}, batch "
                f"{start // batch_size + 1} ({exc}). Try a smaller learning "
                f"rate (the optimizer is {optimizer!r})."
            ) from exc
        total += batch_loss * len(batch)
    return total / n


def _model_dtype(model):
    params = model.parameters()
    return params[0].dtype if params else np.float64


def _check_data(X, y, dtype, x_name, y_name):
    """Return X as a finite 2-D float array and y as an array of equal length."""
    X = as_float_array(X, x_name, dtype)
    check_2d(X, x_name)
    y = np.asarray(y)
    if y.dtype.kind == "f" and y.dtype != dtype:
        y = y.astype(dtype)
    if len(X) != len(y):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of samples, "
            f"got len({x_name}) = {len(X)} and len({y_name}) = {len(y)}."
        )
    for name, arr in ((x_name, X), (y_name, y)):
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            raise ValueError(
                f"{name} contains NaN or infinite values "
                f"({int(np.sum(~np.isfinite(arr)))} of {arr.size})."
            )
    return X, y
