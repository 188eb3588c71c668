"""save_weights / load_weights: .npz round trips, and no unpickling ever."""

import pickle
import re
import zipfile

import numpy as np
import pytest

import nnbook
from nnbook import (Dense, ReLU, Sequential, Tanh, load_weights,
                    save_weights)


def net(seed, dtype=np.float64, hidden=4):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(3, hidden, rng=rng, dtype=dtype), Tanh(),
                       Dense(hidden, 2, rng=rng, dtype=dtype), ReLU()])


def randomize_biases(model, seed):
    rng = np.random.default_rng(seed)
    for p in model.parameters():
        if p.ndim == 1:
            p[...] = rng.standard_normal(p.shape)
    return model


X = np.random.default_rng(0).standard_normal((5, 3))


def test_exported_by_the_package():
    assert nnbook.save_weights is save_weights
    assert nnbook.load_weights is load_weights
    assert {"save_weights", "load_weights"} <= set(nnbook.__all__)


def test_round_trip_gives_bit_identical_predictions(tmp_path):
    trained = randomize_biases(net(1), 2)
    written = save_weights(trained, tmp_path / "w.npz")
    assert written == str(tmp_path / "w.npz")
    fresh = net(99)
    assert not np.array_equal(fresh.predict(X), trained.predict(X))
    assert load_weights(fresh, written) is fresh
    np.testing.assert_array_equal(fresh.predict(X), trained.predict(X))
    for p, q in zip(fresh.parameters(), trained.parameters()):
        assert p.dtype == q.dtype and p.tobytes() == q.tobytes()


def test_the_file_holds_the_gradient_checker_names(tmp_path):
    model = net(1)
    path = save_weights(model, tmp_path / "w.npz")
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["layers[0].W", "layers[0].b",
                                         "layers[2].W", "layers[2].b"]
        np.testing.assert_array_equal(archive["layers[2].W"],
                                      model.layers[2].W)
    names = set(nnbook.gradient_errors(model, nnbook.MSE(), X[:2],
                                       np.zeros((2, 2)))) - {"X"}
    assert names == {"layers[0].W", "layers[0].b", "layers[2].W",
                     "layers[2].b"}


def test_a_single_dense_layer_uses_plain_names(tmp_path):
    layer = Dense(2, 3, rng=0)
    layer.b[...] = [1.0, 2.0, 3.0]
    path = save_weights(layer, tmp_path / "dense")
    with np.load(path) as archive:
        assert sorted(archive.files) == ["W", "b"]
    other = Dense(2, 3, rng=1)
    load_weights(other, tmp_path / "dense")
    np.testing.assert_array_equal(other.W, layer.W)
    np.testing.assert_array_equal(other.b, [1.0, 2.0, 3.0])


def test_npz_suffix_is_appended_as_numpy_does(tmp_path):
    model = net(1)
    written = save_weights(model, str(tmp_path / "weights"))
    assert written == str(tmp_path / "weights.npz")
    assert (tmp_path / "weights.npz").is_file()
    assert not (tmp_path / "weights").exists()
    fresh = load_weights(net(2), str(tmp_path / "weights"))
    np.testing.assert_array_equal(fresh.predict(X), model.predict(X))


def test_loading_writes_into_the_model_arrays_in_place(tmp_path):
    path = save_weights(net(1), tmp_path / "w.npz")
    model = net(2)
    before = model.parameters()
    load_weights(model, path)
    after = model.parameters()
    assert all(a is b for a, b in zip(before, after))
    # An optimizer holding the arrays sees the loaded values.
    np.testing.assert_array_equal(before[0], net(1).layers[0].W)


def test_a_float64_file_loads_into_a_float32_model(tmp_path):
    path = save_weights(net(1), tmp_path / "w.npz")
    model32 = load_weights(net(2, dtype=np.float32), path)
    assert all(p.dtype == np.float32 for p in model32.parameters())
    np.testing.assert_array_equal(model32.layers[0].W,
                                  net(1).layers[0].W.astype(np.float32))


def test_save_replaces_an_existing_file(tmp_path):
    path = tmp_path / "w.npz"
    save_weights(net(1), path)
    save_weights(net(2), path)
    np.testing.assert_array_equal(load_weights(net(3), path).layers[0].W,
                                  net(2).layers[0].W)


# --- refused files ------------------------------------------------------------------


def test_other_shapes_are_refused_naming_the_array(tmp_path):
    path = save_weights(net(1, hidden=5), tmp_path / "w.npz")
    model = net(2)
    before = [p.copy() for p in model.parameters()]
    with pytest.raises(ValueError,
                       match=r"layers\[0\]\.W has shape \(3, 4\) in the "
                             r"model but \(3, 5\) in .*w\.npz"):
        load_weights(model, path)
    for p, q in zip(model.parameters(), before):   # nothing was changed
        np.testing.assert_array_equal(p, q)


def test_a_bias_of_another_shape_is_refused_too(tmp_path):
    model = net(1)
    arrays = {"layers[0].W": model.layers[0].W, "layers[0].b": np.zeros(5),
              "layers[2].W": model.layers[2].W, "layers[2].b": np.zeros(2)}
    np.savez(tmp_path / "w.npz", **arrays)
    with pytest.raises(ValueError, match=r"layers\[0\]\.b has shape \(4,\) "
                                         r"in the model but \(5,\)"):
        load_weights(net(2), tmp_path / "w.npz")


def test_other_names_are_refused_listing_both_sides(tmp_path):
    model = net(1)
    np.savez(tmp_path / "w.npz", **{"layers[0].W": model.layers[0].W,
                                    "layers[0].b": model.layers[0].b,
                                    "layers[1].W": model.layers[2].W,
                                    "layers[2].b": model.layers[2].b})
    fresh = net(2)
    before = fresh.layers[0].W.copy()
    with pytest.raises(ValueError) as info:
        load_weights(fresh, tmp_path / "w.npz")
    message = str(info.value)
    assert "does not match the model" in message
    assert "missing from the file ['layers[2].W']" in message
    assert "not in the model ['layers[1].W']" in message
    np.testing.assert_array_equal(fresh.layers[0].W, before)


def test_a_file_of_a_smaller_model_is_refused(tmp_path):
    path = save_weights(Dense(3, 4, rng=0), tmp_path / "w.npz")
    with pytest.raises(ValueError, match=r"missing from the file \['layers"
                                         r"\[0\]\.W', 'layers\[0\]\.b', "
                                         r"'layers\[2\]\.W', 'layers\[2\]\.b'\]"
                                         r", not in the model \['W', 'b'\]"):
        load_weights(net(1), path)


def test_integer_arrays_are_refused(tmp_path):
    np.savez(tmp_path / "w.npz", W=np.ones((2, 3), dtype=np.int64),
             b=np.zeros(3))
    with pytest.raises(ValueError, match=r"array 'W' must hold "
                                         r"floating-point numbers, got dtype "
                                         r"int64"):
        load_weights(Dense(2, 3, rng=0), tmp_path / "w.npz")


class Tripwire:
    """Unpickling this object would call ``_tripped`` (code from the file)."""

    calls = []

    def __reduce__(self):
        return (_tripped, ("the file ran code",))


def _tripped(message):
    Tripwire.calls.append(message)
    return message


def test_a_pickled_object_array_in_the_npz_is_refused(tmp_path):
    # A weight file whose "b" entry is an object array: np.save pickles it.
    model = Dense(2, 3, rng=0)
    path = tmp_path / "evil.npz"
    payload = np.empty(3, dtype=object)
    payload[:] = [Tripwire(), Tripwire(), Tripwire()]
    with zipfile.ZipFile(path, "w") as zf:
        with zf.open("W.npy", "w") as f:
            np.save(f, model.W)
        with zf.open("b.npy", "w") as f:
            np.save(f, payload, allow_pickle=True)
    # The file really does hold a pickle that would run code:
    with np.load(path, allow_pickle=True) as archive:
        archive["b"]
    assert Tripwire.calls == ["the file ran code"] * 3
    Tripwire.calls.clear()

    target = Dense(2, 3, rng=1)
    before = target.W.copy()
    with pytest.raises(ValueError,
                       match=r"evil\.npz: array 'b' holds pickled Python "
                             r"objects; nnbook never unpickles") as info:
        load_weights(target, path)
    assert "Object arrays cannot be loaded when allow_pickle=False" in str(
        info.value.__cause__)
    assert Tripwire.calls == []                    # no code from the file ran
    np.testing.assert_array_equal(target.W, before)


def test_a_plain_pickle_file_is_refused(tmp_path):
    path = tmp_path / "w.npz"
    path.write_bytes(pickle.dumps({"W": Tripwire()}))
    with pytest.raises(ValueError, match=r"is not a readable weight file: nnbook reads "
                                         r"only \.npz archives of numeric "
                                         r"arrays and never unpickles"):
        load_weights(Dense(2, 3, rng=0), path)
    assert Tripwire.calls == []


def test_an_npy_file_is_refused(tmp_path):
    path = tmp_path / "w.npz"
    with open(path, "wb") as f:
        np.save(f, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"holds a single array \(an \.npy "
                                         r"file\), not the named arrays"):
        load_weights(Dense(2, 3, rng=0), path)


def test_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_weights(Dense(2, 3, rng=0), tmp_path / "nothing.npz")



def test_a_file_missing_one_array_is_refused(tmp_path):
    model = net(1)
    arrays = {name: p for name, p in zip(
        ["layers[0].W", "layers[0].b", "layers[2].W"], model.parameters())}
    np.savez(tmp_path / "w.npz", **arrays)
    with pytest.raises(ValueError, match=r"missing from the file "
                                         r"\['layers\[2\]\.b'\], not in the "
                                         r"model \[\]\.$"):
        load_weights(net(2), tmp_path / "w.npz")


def test_a_file_with_an_extra_array_is_refused(tmp_path):
    layer = Dense(2, 3, rng=0)
    np.savez(tmp_path / "w.npz", W=layer.W, b=layer.b, extra=np.zeros(1))
    with pytest.raises(ValueError, match=r"missing from the file \[\], not in "
                                         r"the model \['extra'\]\.$"):
        load_weights(Dense(2, 3, rng=1), tmp_path / "w.npz")


def test_np_load_is_told_never_to_unpickle(tmp_path, monkeypatch):
    # Not left to NumPy's default: the argument is passed explicitly.
    path = save_weights(net(1), tmp_path / "w.npz")
    calls = []
    real_load = np.load

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", spy)
    load_weights(net(2), path)
    assert calls == [{"allow_pickle": False}]


@pytest.mark.parametrize("damage", ["empty", "truncated", "tail cut", "text",
                                    "corrupt member", "nan", "inf"])
def test_every_unreadable_file_is_a_value_error_and_the_model_is_unchanged(
        tmp_path, damage):
    path = tmp_path / "w.npz"
    with open(save_weights(net(1), tmp_path / "good.npz"), "rb") as f:
        good = f.read()
    start = good.find(b"\x93NUMPY")                   # the first member's data
    if damage in ("nan", "inf"):
        arrays = dict(np.load(tmp_path / "good.npz"))
        arrays["layers[2].b"][0] = float(damage)
        np.savez(path, **arrays)
    else:
        path.write_bytes({
            "empty": b"",
            "truncated": good[:len(good) // 2],
            "tail cut": good[:-10],
            "text": b"W = [[1, 2], [3, 4]]\n",
            "corrupt member": good[:start + 140] + bytes([good[start + 140] ^ 255])
                              + good[start + 141:],
        }[damage])
    model = net(2)
    before = [p.copy() for p in model.parameters()]
    with pytest.raises(ValueError, match="^" + re.escape(str(path))):
        load_weights(model, path)
    assert all(np.array_equal(p, q) for p, q in zip(model.parameters(), before))


def test_wrong_types_are_refused_naming_the_argument(tmp_path):
    with pytest.raises(TypeError, match=r"^model must be a Module"):
        save_weights(None, tmp_path / "w.npz")
    with pytest.raises(TypeError, match=r"^model must be a Module"):
        load_weights("model", tmp_path / "w.npz")
    with pytest.raises(TypeError, match=r"^path must be a str or os\.PathLike, got int\.$"):
        save_weights(net(1), 3)


def test_our_own_messages_are_not_wrapped_and_numpy_errors_are_named(tmp_path):
    path = tmp_path / "w.npz"
    arrays = {"layers[0].W": np.full((3, 4), np.nan), "layers[0].b": np.zeros(4),
              "layers[2].W": np.zeros((4, 2)), "layers[2].b": np.zeros(2)}
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="^" + re.escape(
            f"{path}: array 'layers[0].W' holds NaN or infinite values.") + "$"):
        load_weights(net(1), path)
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"never unpickles \(EOFError: "):
        load_weights(net(1), path)

