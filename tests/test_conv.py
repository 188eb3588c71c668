"""Conv2D, MaxPool2D and Flatten against loops over pixels, by-hand values
and finite differences, over random shapes, strides and paddings.

The contract tests (purity, dtype, backward before forward, modes) run on
the registry's instances in tests/test_modules.py; these add the shapes.
"""

import numpy as np
import pytest
from helpers import strict_numerics

import nnbook as nb
from nnbook.conv import correlate, dilate, im2col, init_kernels, output_size, pad


def conv_by_loops(X, W, b, stride, padding):
    """The definition, one output value at a time (torch's conv2d)."""
    B, C, H, Wd = X.shape
    c_out, _, k, _ = W.shape
    Xp = np.zeros((B, C, H + 2 * padding, Wd + 2 * padding))
    Xp[:, :, padding:padding + H, padding:padding + Wd] = X
    h_out = (H + 2 * padding - k) // stride + 1
    w_out = (Wd + 2 * padding - k) // stride + 1
    Z = np.zeros((B, c_out, h_out, w_out))
    for r in range(B):
        for o in range(c_out):
            for y in range(h_out):
                for x in range(w_out):
                    window = Xp[r, :, y * stride:y * stride + k,
                                x * stride:x * stride + k]
                    Z[r, o, y, x] = np.sum(window * W[o]) + b[o]
    return Z


def conv_input_grad_by_loops(x_shape, W, dZ, stride, padding):
    """dX by scattering each dZ entry back over its window."""
    B, C, H, Wd = x_shape
    _, _, k, _ = W.shape
    dXp = np.zeros((B, C, H + 2 * padding, Wd + 2 * padding))
    for r, o, y, x in np.ndindex(dZ.shape):
        dXp[r, :, y * stride:y * stride + k, x * stride:x * stride + k] += (
            dZ[r, o, y, x] * W[o])
    return dXp[:, :, padding:padding + H, padding:padding + Wd]


def random_case(seed):
    """A random shape, stride and padding whose kernel fits."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 4))
    stride = int(rng.integers(1, 4))
    padding = int(rng.integers(0, 3))
    H, Wd = (int(n) for n in rng.integers(max(k - 2 * padding, 1), 8, size=2))
    B, C, c_out = (int(n) for n in rng.integers(1, 4, size=3))
    conv = nb.Conv2D(C, c_out, k, stride=stride, padding=padding, rng=seed)
    conv.b[:] = rng.standard_normal(c_out)
    return conv, rng.standard_normal((B, C, H, Wd)), rng


@pytest.mark.parametrize("seed", range(12))
def test_conv_forward_and_backward_agree_with_loops(seed):
    conv, X, rng = random_case(seed)
    Z = conv.forward(X)
    expected = conv_by_loops(X, conv.W, conv.b, conv.stride, conv.padding)
    assert Z.shape == expected.shape
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=1e-12)
    dZ = rng.standard_normal(Z.shape)
    dX = conv.backward(dZ)
    np.testing.assert_allclose(
        dX, conv_input_grad_by_loops(X.shape, conv.W, dZ, conv.stride,
                                     conv.padding), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv.db, dZ.sum(axis=(0, 2, 3)), rtol=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_conv_gradients_agree_with_finite_differences(seed):
    conv, X, rng = random_case(seed)
    Y = rng.standard_normal(conv.forward(X).shape)
    errors = nb.gradient_errors(conv, nb.MSE(), X, Y)
    assert set(errors) == {"W", "b", "X"}
    assert max(errors.values()) < 1e-7


@pytest.mark.parametrize("seed", range(4))
def test_conv_gradients_in_float32(seed):
    conv, X, rng = random_case(seed)
    conv32 = nb.Conv2D(*conv.W.shape[1::-1], conv.W.shape[2], stride=conv.stride,
                       padding=conv.padding, rng=seed, dtype=np.float32)
    Z = conv32.forward(X.astype(np.float32))
    assert Z.dtype == np.float32
    Y = rng.standard_normal(Z.shape).astype(np.float32)
    assert nb.check_gradients(conv32, nb.MSE(), X, Y) < 1e-2
    dX = conv32.backward(np.ones_like(Z))
    assert dX.dtype == conv32.dW.dtype == conv32.db.dtype == np.float32


def test_conv_by_hand():
    # Kernel [[1, 0], [0, -1]] on 0..15: each output is X[y, x] - X[y+1, x+1].
    X = np.arange(16.0).reshape(1, 1, 4, 4)
    conv = nb.Conv2D(1, 1, 2, rng=0)
    conv.W[...] = [[[[1.0, 0.0], [0.0, -1.0]]]]
    conv.b[...] = 0.5
    assert np.array_equal(conv.forward(X), np.full((1, 1, 3, 3), -4.5))
    # Stride 2 keeps the windows at (0, 0), (0, 2), (2, 0), (2, 2).
    conv.stride = 2
    assert np.array_equal(conv.forward(X), np.full((1, 1, 2, 2), -4.5))
    # Padding 1: the corner window sees only X[0, 0] at its bottom right.
    conv.stride, conv.padding = 1, 1
    Z = conv.forward(X)
    assert Z.shape == (1, 1, 5, 5)
    assert Z[0, 0, 0, 0] == 0.5 - 0.0 and Z[0, 0, 0, 1] == 0.5 - 1.0
    assert Z[0, 0, 4, 4] == 0.5 + 15.0
    dX = conv.backward(np.ones((1, 1, 5, 5)))
    assert np.array_equal(dX, np.zeros((1, 1, 4, 4)))   # 1 - 1 everywhere
    assert np.array_equal(conv.dW, [[[[120.0, 120.0], [120.0, 120.0]]]])
    assert np.array_equal(conv.db, [25.0])


def test_conv_channels_sum_and_kernels_stack():
    X = np.ones((2, 3, 3, 3))
    conv = nb.Conv2D(3, 2, 3, rng=0)
    conv.W[0] = 1.0
    conv.W[1] = np.arange(27.0).reshape(3, 3, 3)
    conv.b[...] = [0.0, -1.0]
    Z = conv.forward(X)
    assert Z.shape == (2, 2, 1, 1)
    assert np.array_equal(Z[:, :, 0, 0], [[27.0, 350.0], [27.0, 350.0]])


def test_conv_rows_past_the_last_window_get_no_gradient():
    # Height 6, kernel 3, stride 2: windows start at rows 0 and 2; row 5 unused.
    conv = nb.Conv2D(1, 1, 3, stride=2, rng=0)
    X = np.random.default_rng(0).standard_normal((1, 1, 6, 6))
    Z = conv.forward(X)
    assert Z.shape == (1, 1, 2, 2)
    dX = conv.backward(np.ones_like(Z))
    assert np.all(dX[0, 0, 5] == 0) and np.all(dX[0, 0, :, 5] == 0)
    assert np.all(dX[0, 0, 4, :5] != 0)


def test_gradients_are_none_before_backward():
    conv = nb.Conv2D(1, 2, 3, rng=0)
    assert conv.dW is None and conv.db is None
    assert conv.gradients() == [None, None]


def test_image_modules_name_the_input_in_type_errors():
    for module in (nb.Conv2D(1, 1, 1), nb.MaxPool2D(1), nb.Flatten()):
        with pytest.raises(TypeError) as info:
            module.forward(np.array([[["a"]]]))
        assert str(info.value) == "X must be a numeric array, got dtype <U1."


def test_conv_skips_the_input_gradient_when_told():
    conv = nb.Conv2D(1, 2, 3, rng=0)
    conv.input_grad = False
    Z = conv.forward(np.ones((2, 1, 4, 4)))
    assert conv.backward(np.ones_like(Z)) is None
    assert conv.dW.shape == (2, 1, 3, 3) and conv.db.shape == (2,)


def test_conv_converts_the_input_to_its_dtype():
    conv = nb.Conv2D(1, 1, 2, rng=0, dtype=np.float32)
    assert conv.forward(np.ones((1, 1, 3, 3), dtype=int)).dtype == np.float32
    assert conv.forward(np.ones((1, 1, 3, 3))).dtype == np.float32
    assert conv.W.dtype == conv.b.dtype == np.float32


@pytest.mark.parametrize("init, var", [("he", 2 / 27), ("xavier", 2 / (27 + 72)),
                                       ("normal", 1.0)])
def test_init_kernels_variance(init, var):
    W = init_kernels(3, 8, 3, init, np.random.default_rng(0), np.float32)
    assert W.shape == (8, 3, 3, 3) and W.dtype == np.float32
    big = np.concatenate([init_kernels(3, 8, 3, init, np.random.default_rng(s))
                          for s in range(200)])
    assert big.var() == pytest.approx(var, rel=0.05)


def test_conv_init_is_seeded_and_refuses_unknown_names():
    assert np.array_equal(nb.Conv2D(2, 3, 3, rng=5).W, nb.Conv2D(2, 3, 3, rng=5).W)
    assert np.array_equal(nb.Conv2D(2, 3, 3, rng=5).b, np.zeros(3))
    with pytest.raises(ValueError, match=r"init must be one of \('he', "
                       r"'xavier', 'normal'\), got 'glorot'\."):
        nb.Conv2D(1, 1, 3, init="glorot")


def test_array_helpers():
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    assert pad(x, 0) is x
    p = pad(x, 1)
    assert p.shape == (1, 1, 4, 5) and p.sum() == x.sum()
    assert np.array_equal(p[0, 0, 1:3, 1:4], x[0, 0])
    assert dilate(x, 1) is x
    d = dilate(x, 2)
    assert d.shape == (1, 1, 3, 5)
    assert np.array_equal(d[0, 0], [[0, 0, 1, 0, 2], [0] * 5, [3, 0, 4, 0, 5]])
    cols, hw = im2col(np.arange(16.0).reshape(1, 1, 4, 4), 2, stride=2)
    assert hw == (2, 2)
    assert cols.shape == (1, 4, 4)       # (batch, c_in k k, h_out w_out)
    assert np.array_equal(cols[0].T, [[0, 1, 4, 5], [2, 3, 6, 7],
                                      [8, 9, 12, 13], [10, 11, 14, 15]])
    cols, hw = im2col(np.arange(18.0).reshape(1, 2, 3, 3), 2)
    assert hw == (2, 2) and cols.shape == (1, 8, 4)
    assert np.array_equal(cols[0, :, 0], [0, 1, 3, 4, 9, 10, 12, 13])
    assert output_size(8, 3) == 6 and output_size(8, 3, 2, 1) == 4
    assert output_size(7, 2, 2) == 3
    W = np.ones((2, 1, 2, 2))
    assert np.array_equal(correlate(np.ones((1, 1, 3, 3)), W),
                          np.full((1, 2, 2, 2), 4.0))
    Z = correlate(np.arange(16.0).reshape(1, 1, 4, 4), np.ones((1, 1, 2, 2)), 2)
    assert np.array_equal(Z, [[[[10.0, 18.0], [42.0, 50.0]]]])


def test_conv_extreme_values_stay_finite():
    conv = nb.Conv2D(1, 1, 3, padding=1, rng=0)
    X = np.full((1, 1, 4, 4), 1e150)
    with strict_numerics():
        Z = conv.forward(X)
        dX = conv.backward(np.full_like(Z, 1e150))
    assert np.isfinite(Z).all() and np.isfinite(dX).all()
    assert np.isfinite(conv.dW).all()


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((0, 1, 3), {}, ValueError, "c_in must be >= 1, got 0."),
    ((1, 0, 3), {}, ValueError, "c_out must be >= 1, got 0."),
    ((1, 1, (3, 3)), {}, TypeError, "kernel_size must be an integer, got (3, 3)."),
    ((1, 1, 0), {}, ValueError, "kernel_size must be >= 1, got 0."),
    ((1, 1, 3), {"stride": 0}, ValueError, "stride must be >= 1, got 0."),
    ((1, 1, 3), {"padding": -1}, ValueError, "padding must be >= 0, got -1."),
    ((1, 1, 3), {"padding": 1.0}, TypeError, "padding must be an integer, got 1.0."),
    ((1, 1, 3), {"dtype": int}, TypeError, "dtype must be a floating-point"),
])
def test_conv_refuses_bad_settings(args, kwargs, error, message):
    with pytest.raises(error) as info:
        nb.Conv2D(*args, **kwargs)
    assert str(info.value).startswith(message)


def test_conv_refuses_bad_input():
    conv = nb.Conv2D(2, 3, 3, padding=1, rng=0)
    with pytest.raises(ValueError) as info:
        conv.forward(np.ones((4, 5, 5)))
    assert str(info.value) == (
        "Conv2D expects images of shape (batch, 2, height, width) (channels "
        "first, as in PyTorch), got shape (4, 5, 5). A single image needs a "
        "batch axis and a channel axis: X[None, None].")
    with pytest.raises(ValueError, match=r"\(batch, 2, height, width\).*"
                       r"got shape \(1, 3, 5, 5\)"):
        conv.forward(np.ones((1, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"^X must hold at least 1 sample"):
        conv.forward(np.ones((0, 2, 5, 5)))
    conv.forward(np.ones((1, 2, 1, 1)))                  # 1 + 2 padding = 3: fits
    with pytest.raises(ValueError) as info:
        nb.Conv2D(2, 3, 3, padding=0).forward(np.ones((1, 2, 2, 5)))
    assert str(info.value) == (
        "Conv2D's window of 3x3 does not fit in images of 2x5 (padding 0): "
        "use a smaller kernel_size or more padding.")
    with pytest.raises(TypeError, match=r"^X must be a numeric array"):
        conv.forward(np.array([["a"]]))
    with pytest.raises(ValueError, match=r"window of 4x4 does not fit in images "
                       r"of 1x1 \(padding 1\)"):
        nb.Conv2D(1, 1, 4, padding=1).forward(np.ones((1, 1, 1, 1)))
    conv.forward(np.ones((1, 2, 4, 4)))
    with pytest.raises(ValueError) as info:
        conv.backward(np.ones((1, 3, 3, 3)))
    assert str(info.value) == (
        "Conv2D.backward expected grad_out of shape (1, 3, 4, 4) (the shape "
        "of the forward output), got (1, 3, 3, 3).")
    with pytest.raises(ValueError, match=r"got list\.$"):
        conv.backward([1.0])


def test_repr():
    assert repr(nb.Conv2D(1, 8, 3, padding=1)) == (
        "Conv2D(1, 8, 3, stride=1, padding=1, init='he')")
    assert repr(nb.MaxPool2D(2)) == "MaxPool2D(2, stride=2)"
    assert repr(nb.MaxPool2D(3, 1)) == "MaxPool2D(3, stride=1)"
    assert repr(nb.Flatten()) == "Flatten()"


# ---------------------------------------------------------------- MaxPool2D

def pool_by_loops(X, k, s):
    B, C, H, W = X.shape
    h_out, w_out = (H - k) // s + 1, (W - k) // s + 1
    Y = np.zeros((B, C, h_out, w_out))
    dX_of = {}
    for r, c, y, x in np.ndindex(B, C, h_out, w_out):
        window = X[r, c, y * s:y * s + k, x * s:x * s + k]
        Y[r, c, y, x] = window.max()
        i, j = np.unravel_index(np.argmax(window), window.shape)
        dX_of[r, c, y, x] = (r, c, y * s + i, x * s + j)
    return Y, dX_of


@pytest.mark.parametrize("k, s", [(2, None), (2, 1), (3, 2), (3, 1), (1, 1),
                                  (2, 3), (3, None)])
@pytest.mark.parametrize("seed", range(3))
def test_maxpool_agrees_with_loops_and_finite_differences(k, s, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, 3, 7, 6))
    pool = nb.MaxPool2D(k, s)
    Y = pool.forward(X)
    expected, where = pool_by_loops(X, k, k if s is None else s)
    assert np.array_equal(Y, expected)
    g = rng.standard_normal(Y.shape)
    dX = np.zeros_like(X)
    for out_index, in_index in where.items():
        dX[in_index] += g[out_index]
    np.testing.assert_allclose(pool.backward(g), dX, rtol=1e-14, atol=0)
    assert nb.check_gradients(pool, nb.MSE(), X, rng.standard_normal(Y.shape)) < 1e-7


def test_maxpool_by_hand_ties_go_to_the_first_maximum():
    X = np.array([[[[1.0, 3.0, 2.0, 2.0],
                    [3.0, 0.0, 2.0, 2.0],
                    [-1.0, -2.0, 5.0, 4.0],
                    [-3.0, -1.0, 6.0, 7.0]]]])
    pool = nb.MaxPool2D(2)
    assert np.array_equal(pool.forward(X), [[[[3.0, 2.0], [-1.0, 7.0]]]])
    dX = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    assert np.array_equal(dX, [[[[0, 10, 20, 0], [0, 0, 0, 0],
                                 [30, 0, 0, 0], [0, 0, 0, 40]]]])


def test_maxpool_overlapping_windows_add_up():
    # Stride 1: the 9 in the middle is the maximum of all four windows.
    X = np.array([[[[1.0, 2.0, 3.0], [4.0, 9.0, 5.0], [6.0, 7.0, 8.0]]]])
    pool = nb.MaxPool2D(2, stride=1)
    assert np.array_equal(pool.forward(X), np.full((1, 1, 2, 2), 9.0))
    dX = pool.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    assert dX[0, 0, 1, 1] == 10.0 and dX.sum() == 10.0


def test_maxpool_keeps_the_dtype_and_extreme_values():
    X = np.array([[[[-np.inf, -3e38], [np.finfo(np.float32).max, 0.0]]]],
                 dtype=np.float32)
    pool = nb.MaxPool2D(2)
    with strict_numerics():
        Y = pool.forward(X)
        dX = pool.backward(np.ones_like(Y))
    assert Y.dtype == dX.dtype == np.float32
    assert Y[0, 0, 0, 0] == np.finfo(np.float32).max
    assert np.array_equal(dX[0, 0], [[0, 0], [1, 0]])
    assert pool.forward(np.ones((1, 1, 2, 2), dtype=int)).dtype == np.float64


def test_maxpool_propagates_nan_like_pytorch():
    X = np.array([[[[1.0, np.nan], [5.0, 2.0]]]])
    assert np.isnan(nb.MaxPool2D(2).forward(X)).all()


def test_maxpool_refuses_bad_settings_and_input():
    with pytest.raises(ValueError, match=r"^kernel_size must be >= 1, got 0\.$"):
        nb.MaxPool2D(0)
    with pytest.raises(ValueError, match=r"^stride must be >= 1, got 0\.$"):
        nb.MaxPool2D(2, 0)
    with pytest.raises(TypeError, match=r"^stride must be an integer, got 1\.5\.$"):
        nb.MaxPool2D(2, 1.5)
    pool = nb.MaxPool2D(3)
    with pytest.raises(ValueError) as info:
        pool.forward(np.ones((2, 9)))
    assert str(info.value).startswith(
        "MaxPool2D expects images of shape (batch, channels, height, width)")
    with pytest.raises(ValueError) as info:
        pool.forward(np.ones((1, 4, 5, 2)))
    assert str(info.value) == (
        "MaxPool2D's window of 3x3 does not fit in images of 5x2 (padding 0): "
        "use a smaller kernel_size or more padding.")
    with pytest.raises(RuntimeError, match=r"^MaxPool2D\.backward called before"):
        pool.backward(np.ones((1, 1, 1, 1)))
    pool.forward(np.ones((1, 1, 6, 6)))
    with pytest.raises(ValueError, match=r"expected grad_out of shape \(1, 1, 2, 2\)"):
        pool.backward(np.ones((1, 1, 3, 3)))


# ---------------------------------------------------------------- Flatten

def test_flatten_reshapes_and_back():
    X = np.arange(24.0).reshape(2, 3, 2, 2)
    flat = nb.Flatten()
    Y = flat.forward(X)
    assert Y.shape == (2, 12)
    assert np.array_equal(Y[1], X[1].ravel())
    g = np.arange(24.0).reshape(2, 12) * 2
    dX = flat.backward(g)
    assert dX.shape == X.shape and np.array_equal(dX, 2 * X)
    assert np.array_equal(g, np.arange(24.0).reshape(2, 12) * 2)
    assert flat.forward(np.ones((3, 4), dtype=np.float32)).dtype == np.float32


def test_flatten_refuses_bad_input():
    flat = nb.Flatten()
    with pytest.raises(ValueError) as info:
        flat.forward(np.ones(5))
    assert str(info.value) == (
        "Flatten expects a batch of shape (batch, ...), at least 2-D, got "
        "shape (5,).")
    with pytest.raises(ValueError, match=r"^X must hold at least 1 sample"):
        flat.forward(np.ones((0, 3, 2)))
    with pytest.raises(RuntimeError, match=r"^Flatten\.backward called before"):
        flat.backward(np.ones((2, 3)))
    flat.forward(np.ones((2, 3, 2)))
    with pytest.raises(ValueError, match=r"expected grad_out of shape \(2, 6\)"):
        flat.backward(np.ones((2, 3, 2)))


# ---------------------------------------------------------------- a small CNN

def test_a_small_cnn_checks_out_end_to_end():
    rng = np.random.default_rng(0)
    model = nb.Sequential([
        nb.Conv2D(1, 3, 3, padding=1, rng=rng), nb.ReLU(),
        nb.MaxPool2D(2), nb.Conv2D(3, 2, 2, stride=2, rng=rng), nb.Tanh(),
        nb.Flatten(), nb.Dense(8, 4, rng=rng),
    ])
    X = rng.standard_normal((3, 1, 8, 8))
    y = np.array([0, 3, 1])
    assert model.forward(X).shape == (3, 4)
    assert nb.check_gradients(model, nb.CrossEntropy(), X, y) < 1e-7
