"""Buffers: state saved with the parameters but not trained (BatchNorm's
running statistics), walked by the naming helper and kept by weight files."""

import numpy as np
import pytest

from nnbook import (BatchNorm, CrossEntropy, Dense, ReLU, SGD, Sequential, fit,
                    load_weights, save_weights)
from nnbook.module import Module, _named


def bn_net(seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(4, 6, rng=rng, dtype=dtype),
                       BatchNorm(6, dtype=dtype), ReLU(),
                       Dense(6, 3, rng=rng, dtype=dtype)])


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 4)) * 3.0 + 1.5   # far from mean 0, var 1
    return X, (X[:, 0] > 1.5).astype(int) + (X[:, 1] > 1.5)


def trained_bn_net():
    model = bn_net(0)
    X, y = data()
    fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=3, batch_size=8, rng=0)
    return model


def test_buffer_names_declared_once():
    assert Module.buffer_names == ()
    assert Dense.buffer_names == ()
    assert BatchNorm.buffer_names == ("running_mean", "running_var")
    assert BatchNorm.param_names == ("gamma", "beta")    # buffers are not params


def test_buffers_follow_buffer_names():
    bn = BatchNorm(3)
    bn.running_mean[...] = [1.0, 2.0, 3.0]
    mean, var = bn.buffers()
    assert mean is bn.running_mean and var is bn.running_var
    assert Dense(2, 3, rng=0).buffers() == []
    assert ReLU().buffers() == []


def test_named_buffers_of_a_sequential():
    model = bn_net(0)
    named = list(_named(model, "buffers"))
    assert [name for name, _ in named] == ["layers[1].running_mean",
                                           "layers[1].running_var"]
    assert named[0][1] is model.layers[1].running_mean
    assert named[1][1] is model.layers[1].running_var
    # the parameters' names do not change
    assert [name for name, _ in _named(model, "parameters")] == [
        "layers[0].W", "layers[0].b", "layers[1].gamma", "layers[1].beta",
        "layers[3].W", "layers[3].b"]


def test_buffers_are_not_trained():
    model = bn_net(0)
    assert len(model.parameters()) == 6 == len(model.gradients())
    ids = {id(p) for p in model.parameters()}
    assert id(model.layers[1].running_mean) not in ids


def test_weight_file_holds_the_running_statistics(tmp_path):
    model = trained_bn_net()
    path = save_weights(model, tmp_path / "bn")
    with np.load(path) as archive:
        assert sorted(archive.files) == sorted([
            "layers[0].W", "layers[0].b", "layers[1].gamma", "layers[1].beta",
            "layers[1].running_mean", "layers[1].running_var",
            "layers[3].W", "layers[3].b"])
        np.testing.assert_array_equal(archive["layers[1].running_mean"],
                                      model.layers[1].running_mean)
        np.testing.assert_array_equal(archive["layers[1].running_var"],
                                      model.layers[1].running_var)


def test_restored_batchnorm_net_predicts_identically_in_eval_mode(tmp_path):
    model = trained_bn_net()
    bn = model.layers[1]
    assert not np.allclose(bn.running_mean, 0.0)    # training moved them
    assert not np.allclose(bn.running_var, 1.0)
    path = save_weights(model, tmp_path / "bn.npz")
    X, _ = data(10, seed=1)
    fresh = bn_net(5)
    assert not np.allclose(fresh.predict(X), model.predict(X))
    assert load_weights(fresh, path) is fresh
    np.testing.assert_array_equal(fresh.layers[1].running_mean, bn.running_mean)
    np.testing.assert_array_equal(fresh.layers[1].running_var, bn.running_var)
    np.testing.assert_array_equal(fresh.predict(X), model.predict(X))
    assert not fresh.layers[1].running_mean is bn.running_mean


def test_loaded_buffers_take_the_model_dtype(tmp_path):
    path = save_weights(trained_bn_net(), tmp_path / "bn.npz")
    fresh = bn_net(5, dtype=np.float32)
    load_weights(fresh, path)
    assert fresh.layers[1].running_mean.dtype == np.float32
    assert fresh.layers[1].running_var.dtype == np.float32


def test_old_file_without_buffers_names_the_missing_arrays(tmp_path):
    model = trained_bn_net()
    old = tmp_path / "old.npz"
    np.savez(old, **dict(_named(model, "parameters")))   # parameters only
    fresh = bn_net(5)
    before = [p.copy() for p in fresh.parameters()] + [
        b.copy() for b in fresh.layers[1].buffers()]
    with pytest.raises(ValueError) as info:
        load_weights(fresh, old)
    message = str(info.value)
    assert ("missing from the file ['layers[1].running_mean', "
            "'layers[1].running_var'], not in the model []") in message
    after = fresh.parameters() + fresh.layers[1].buffers()
    for b, a in zip(before, after):             # nothing changed
        np.testing.assert_array_equal(a, b)


def test_buffer_of_another_shape_is_refused(tmp_path):
    arrays = {name: arr for name, arr in _named(bn_net(0), "parameters")}
    arrays["layers[1].running_mean"] = np.zeros(5)
    arrays["layers[1].running_var"] = np.ones(6)
    np.savez(tmp_path / "w.npz", **arrays)
    with pytest.raises(ValueError, match=r"layers\[1\]\.running_mean has shape "
                                         r"\(6,\) in the model but \(5,\)"):
        load_weights(bn_net(1), tmp_path / "w.npz")


def test_non_finite_buffer_is_refused(tmp_path):
    arrays = {name: arr for name, arr in _named(bn_net(0), "parameters")}
    arrays["layers[1].running_mean"] = np.zeros(6)
    arrays["layers[1].running_var"] = np.full(6, np.nan)
    np.savez(tmp_path / "w.npz", **arrays)
    with pytest.raises(ValueError, match=r"'layers\[1\]\.running_var' holds NaN"):
        load_weights(bn_net(1), tmp_path / "w.npz")


def test_single_batchnorm_round_trip(tmp_path):
    bn = BatchNorm(3)
    bn.forward(np.arange(12.0).reshape(4, 3))        # moves the statistics
    path = save_weights(bn, tmp_path / "one")
    with np.load(path) as archive:
        assert sorted(archive.files) == ["beta", "gamma", "running_mean",
                                         "running_var"]
    fresh = load_weights(BatchNorm(3), path)
    np.testing.assert_array_equal(fresh.running_mean, bn.running_mean)
    np.testing.assert_array_equal(fresh.running_var, bn.running_var)
