"""Saving and loading weights: ``.npz`` files of named arrays, never pickles.

A weight file holds one plain numeric array per parameter and buffer, under
the gradient checker's names (``"W"``, ``"b"`` for one ``Dense`` layer;
``"layers[0].W"``, ..., ``"layers[1].running_mean"`` for a ``Sequential``),
and no structure: build the same network, then load its weights. Loading
never unpickles, since a pickle can run any code while it is read.
"""

import os
import zipfile
import zlib

import numpy as np

from ._checks import check_type
from .module import Module, _named


def save_weights(model, path):
    """Write every parameter and buffer of ``model`` (with its dtype) to
    ``path``, a str or os.PathLike, replacing any file there; ``".npz"`` is
    appended if the name lacks it. Returns the path written."""
    check_type(model, "model", Module, "a Module such as Sequential([...])")
    path = _with_suffix(path)
    np.savez(path, **_state(model))
    return path


def load_weights(model, path):
    """Copy the arrays of a :func:`save_weights` file into ``model``.

    ``model`` is built like the one saved. The arrays are copied in place (in
    the model's dtype), so an optimizer holding them sees the new values, and
    nothing changes unless all fit. ``".npz"`` is appended to ``path`` if it
    lacks it. Returns ``model``.

    Raises
    ------
    ValueError
        If the file cannot be read (empty, truncated, corrupt, not ``.npz``,
        pickled objects), its names differ from the model's parameter and
        buffer names (listing the missing and unexpected ones), or an array
        has another shape, is not floating-point or holds NaN or infinity.
    FileNotFoundError
        If there is no file at ``path``.
    """
    check_type(model, "model", Module, "a Module such as Sequential([...])")
    path = _with_suffix(path)
    try:
        with open(path, "rb") as file:
            archive = np.load(file, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError(f"{path} holds a single array (an .npy file), "
                                 f"not the named arrays of an .npz weight file.")
            arrays = {name: _read(archive, name, path)
                      for name in archive.files}
    except FileNotFoundError:
        raise
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile,
            zlib.error) as exc:     # empty, truncated, corrupt, a pickle, ...
        if str(exc).startswith(path):
            raise
        raise ValueError(f"{path} is not a readable weight file: nnbook reads "
                         f"only .npz archives of numeric arrays and never "
                         f"unpickles ({type(exc).__name__}: {exc})") from exc
    params = _state(model)
    missing = [name for name in params if name not in arrays]
    unexpected = [name for name in arrays if name not in params]
    if missing or unexpected:
        raise ValueError(f"{path} does not match the model: missing from the "
                         f"file {missing}, not in the model {unexpected}.")
    for name, p in params.items():
        if arrays[name].shape != p.shape:
            raise ValueError(f"{name} has shape {p.shape} in the model but "
                             f"{arrays[name].shape} in {path}.")
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
    return path if path.endswith(".npz") else path + ".npz"


def _read(archive, name, path):
    """One array of the archive; refuse pickled objects and non-floats."""
    try:
        arr = archive[name]
    except ValueError as exc:       # numpy: "Object arrays cannot be loaded..."
        raise ValueError(f"{path}: array {name!r} holds pickled Python objects; "
                         f"nnbook never unpickles, since a pickle can run "
                         f"arbitrary code. Save weights with nnbook.save_weights "
                         f"({exc})") from exc
    if arr.dtype.kind != "f":
        raise ValueError(f"{path}: array {name!r} must hold floating-point "
                         f"numbers, got dtype {arr.dtype}.")
    if not np.isfinite(arr).all():
        raise ValueError(f"{path}: array {name!r} holds NaN or infinite values.")
    return arr
