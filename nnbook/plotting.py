"""Figures for the book: one call to set up, then loss curves and boundaries.

Figures have a white background, so they read the same on the book's light
and dark themes. matplotlib is needed here, not for the engine.
"""

import numpy as np

#: Okabe and Ito's palette, distinct for the common forms of colour blindness
#: (blue, orange, green, vermilion, sky blue, reddish purple, yellow, black).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00",
           "#56B4E9", "#CC79A7", "#F0E442", "#000000"]


def setup():
    """Make notebook figures and printed arrays look the same on every run.

    The colours of :data:`PALETTE` on white, a fixed size, resolution and SVG
    hash salt (no random ids), and NumPy arrays printed with 4 decimals.
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=PALETTE),
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "axes.facecolor": "white",
        "figure.figsize": (6.4, 4.0),
        "figure.dpi": 100,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "svg.hashsalt": "nnbook",
        "image.cmap": "cividis",
    })
    np.set_printoptions(precision=4, suppress=True)


def _axes(ax):
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots()
    return ax


def plot_loss(history, ax=None, title="Loss during training"):
    """Plot the training (and validation) loss of a ``fit`` history by epoch.

    Parameters
    ----------
    history : dict
        As returned by :func:`nnbook.fit <nnbook.training.fit>`.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax.plot(epochs, history["loss"], label="training loss")
    if "val_loss" in history:
        ax.plot(epochs, history["val_loss"], linestyle="--",
                label="validation loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_decision_boundary(predict, X, y, ax=None, resolution=200,
                           title="Decision boundary"):
    """Shade the plane by predicted class and scatter the points on top.

    Parameters
    ----------
    predict : callable
        Maps an array of shape (n, 2) to scores: shape (n, 1) or (n,) read
        as the probability of class 1 (threshold 0.5), or (n, n_classes)
        read by argmax. A model's ``predict`` works as it is.
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,) or (n_samples, 1), class labels
    ax : matplotlib Axes, optional
    resolution : int, points per axis of the shading grid

    Returns
    -------
    ax : matplotlib Axes
    """
    from matplotlib.colors import ListedColormap

    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2), got {X.shape}.")
    labels = np.asarray(y).reshape(len(X)).astype(int)
    ax = _axes(ax)
    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, resolution)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    scores = np.asarray(predict(np.c_[grid_x.ravel(), grid_y.ravel()]))
    if scores.ndim == 2 and scores.shape[1] > 1:
        classes = scores.argmax(axis=1)
    else:
        classes = (scores.reshape(-1) > 0.5).astype(int)
    n_classes = max(labels.max(), classes.max()) + 1
    colours = [PALETTE[k % len(PALETTE)] for k in range(n_classes)]
    ax.contourf(grid_x, grid_y, classes.reshape(grid_x.shape),
                levels=np.arange(n_classes + 1) - 0.5,
                cmap=ListedColormap(colours), alpha=0.25)
    markers = "os^vDP*"          # 7 markers, 8 colours: 56 distinct pairs
    for k in range(n_classes):
        mask = labels == k
        ax.scatter(X[mask, 0], X[mask, 1], c=colours[k], marker=markers[k % 7],
                   edgecolors="black", linewidths=0.5, label=f"class {k}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    ax.legend()
    return ax

