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
    model : Sequential (or any Module with parameters)
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
        If the loss becomes NaN or infinite (training has diverged).
    """
    check_int(epochs, "epochs", 0)
    check_int(batch_size, "batch_size", 1)
    check_int(verbose, "verbose", 0)
    dtype = _model_dtype(model)
    X, y = _check_data(X, y, dtype, "X", "y")
    if validation_data is not None:
        X_val, y_val = _check_data(*validation_data, dtype, "X_val", "y_val")
    rng = make_rng(rng)
    n = len(X)
    history = {"loss": []}
    if validation_data is not None:
        history["val_loss"] = []

    params = model.parameters()  # updated in place, so the list stays valid
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            batch_loss = loss.forward(model.forward(X[batch]), y[batch])
            if not math.isfinite(batch_loss):
                raise FloatingPointError(
                    f"the loss became {batch_loss} at epoch {epoch}, batch "
                    f"{start // batch_size + 1}: training diverged. Try a "
                    f"smaller learning rate (the optimizer is {optimizer!r})."
                )
            model.backward(loss.backward(), input_grad=False)  # X needs no grad
            optimizer.step(params, model.gradients())
            total += batch_loss * len(batch)
        history["loss"].append(total / n)
        width = len(str(epochs))
        report = f"epoch {epoch:>{width}}/{epochs}  loss {total / n:.4f}"
        if validation_data is not None:
            out = model.forward(X_val)
            history["val_loss"].append(loss.forward(out, y_val))
            report += f"  val_loss {history['val_loss'][-1]:.4f}"
            accuracy = loss.accuracy(out, y_val)  # None for a regression loss
            if accuracy is not None:
                history.setdefault("val_accuracy", []).append(accuracy)
                report += f"  val_accuracy {accuracy:.4f}"
        if verbose and (epoch % verbose == 0 or epoch == epochs):
            print(report)
    return history


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
