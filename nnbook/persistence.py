"""Saving and loading weights: ``.npz`` files of named arrays, never pickles.

A weight file is a NumPy ``.npz`` archive holding one plain numeric array per
parameter, under the name the gradient checker uses for it: ``"W"`` and
``"b"`` for a single ``Dense`` layer, ``"layers[0].W"``, ``"layers[0].b"``,
``"layers[2].W"``, ... for a ``Sequential``. It also holds each module's
buffers (``buffer_names``: state that is not trained, such as a
``BatchNorm``'s ``"layers[1].running_mean"`` and ``"layers[1].running_var"``),
without which a restored network would predict with the starting
statistics. The file keeps only numbers, not the network's structure: build
the same network, then load its weights.

Loading never unpickles. A pickle can run any code while it is read, so a
weight file from elsewhere could take over the machine; ``np.load`` is
called with ``allow_pickle=False``, and a file holding Python objects is
refused with a ``ValueError``.
"""

import os
import zipfile
import zlib

import numpy as np

from ._checks import check_type
from .module import Module, _named

SUFFIX = ".npz"


def save_weights(model, path):
    """Write every parameter and buffer array of ``model`` to an ``.npz`` file.

    Parameters
    ----------
    model : Sequential or Module
        Its parameters, e.g. ``W`` of shape (n_in, n_out) and ``b`` of shape
        (n_out,) for each ``Dense`` layer, and its buffers (a ``BatchNorm``'s
        running statistics) are saved with their dtype.
    path : str or os.PathLike
        Where to write; ``".npz"`` is appended if the name lacks it (as
        ``np.savez`` does). An existing file is replaced.

    Returns
    -------
    str
        The path written, with its ``.npz`` suffix.
    """
    check_type(model, "model", Module, "a Module such as Sequential([...])")
    path = _with_suffix(path)
    np.savez(path, **_state(model))
    return path


def load_weights(model, path):
    """Copy the arrays of a file written by :func:`save_weights` into ``model``.

    The file must hold exactly the model's parameter and buffer names, each
    with the shape of the model's array, as floating-point numbers. The
    arrays are copied into the model's own ``W`` and ``b`` (and buffers such
    as ``running_mean``; in place, converted to the model's dtype), so an
    optimizer that holds them sees the new values.
    Nothing is changed unless every array fits.

    Parameters
    ----------
    model : Sequential or Module
        Built like the model that was saved (same layers, same shapes).
    path : str or os.PathLike
        ``".npz"`` is appended if the name lacks it.

    Returns
    -------
    Module
        ``model`` itself, for chaining: ``load_weights(build(), "w.npz")``.

    Raises
    ------
    ValueError
        If the file cannot be read (empty, truncated, corrupt, not an
        ``.npz`` archive, or holding pickled Python objects), if its names
        differ from the model's (the message lists the missing and the
        unexpected ones), or if an array has another shape than the model's,
        is not floating-point or holds NaN or infinity.
    FileNotFoundError
        If there is no file at ``path``.
    """
    check_type(model, "model", Module, "a Module such as Sequential([...])")
    path = _with_suffix(path)
    try:
        with open(path, "rb") as file:
            archive = np.load(file, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError(
                    f"{path} holds a single array (an .npy file), not the "
                    f"named arrays of an .npz weight file."
                )
            arrays = {name: _read(archive, name, path)
                      for name in archive.files}
    except FileNotFoundError:
        raise
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile,
            zlib.error) as exc:     # empty, truncated, corrupt, a pickle, ...
        if str(exc).startswith(path):
            raise
        raise ValueError(
            f"{path} is not a readable weight file: nnbook reads only .npz "
            f"archives of numeric arrays and never unpickles "
            f"({type(exc).__name__}: {exc})"
        ) from exc
    params = _state(model)
    missing = [name for name in params if name not in arrays]
    unexpected = [name for name in arrays if name not in params]
    if missing or unexpected:
        raise ValueError(
            f"{path} does not match the model: missing from the file "
            f"{missing}, not in the model {unexpected}."
        )
    for name, p in params.items():
        if arrays[name].shape != p.shape:
            raise ValueError(
                f"{name} has shape {p.shape} in the model but "
                f"{arrays[name].shape} in {path}."
            )
    for name, p in params.items():
        p[...] = arrays[name]
    return model


def _state(model):
    """The arrays a weight file holds: parameters, then buffers, by name."""
    state = dict(_named(model, "parameters"))
    state.update(_named(model, "buffers"))
    return state


def _with_suffix(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got "
                        f"{type(path).__name__}.")
    path = os.fspath(path)
    return path if path.endswith(SUFFIX) else path + SUFFIX


def _read(archive, name, path):
    """One array of the archive; refuse pickled objects and non-floats."""
    try:
        arr = archive[name]
    except ValueError as exc:       # numpy: "Object arrays cannot be loaded..."
        raise ValueError(
            f"{path}: array {name!r} holds pickled Python objects; nnbook "
            f"never unpickles, since a pickle can run arbitrary code. Save "
            f"weights with nnbook.save_weights ({exc})"
        ) from exc
    if arr.dtype.kind != "f":
        raise ValueError(
            f"{path}: array {name!r} must hold floating-point numbers, got "
            f"dtype {arr.dtype}."
        )
    if not np.isfinite(arr).all():
        raise ValueError(
            f"{path}: array {name!r} holds NaN or infinite values."
        )
    return arr
