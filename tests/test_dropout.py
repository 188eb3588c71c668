"""nb.Dropout: inverted dropout, its mask, its modes and its gradient.

The module contract (purity, dtype, backward before forward, gradients with
the mask frozen) is tested on the registry's instance in test_modules.py.
"""

import re

import numpy as np
import pytest
from helpers import strict_numerics

import nnbook as nb


def exactly(message):
    return rf"^{re.escape(message)}$"


class FixedUniform:
    """Stands in for the Generator: ``random(shape)`` returns given numbers."""

    def __init__(self, u):
        self.u = np.asarray(u, dtype=np.float64)

    def random(self, shape):
        return self.u.reshape(shape)


def test_an_entry_is_kept_where_u_is_at_least_p():
    drop = nb.Dropout(0.5)
    drop.rng = FixedUniform([[0.25, 0.5, 0.75, 0.4999]])
    out = drop.forward(np.array([[1.0, 2.0, 3.0, 4.0]]))
    assert np.array_equal(drop.mask, [[0.0, 2.0, 2.0, 0.0]])
    assert np.array_equal(out, [[0.0, 4.0, 6.0, 0.0]])


def test_the_mask_is_the_one_torch_style_formula_gives_with_the_seed():
    x = np.arange(1.0, 13.0).reshape(3, 4)
    drop = nb.Dropout(0.25, rng=7)
    out = drop.forward(x)
    keep = np.random.default_rng(7).random((3, 4)) >= 0.25
    assert np.array_equal(drop.mask, keep / 0.75)
    assert np.array_equal(out, x * (keep / 0.75))
    assert drop.mask.dtype == np.float64


def test_mask_statistics_with_a_seeded_rng():
    p = 0.3
    drop = nb.Dropout(p, rng=0)
    drop.forward(np.ones((400, 250)))
    mask = drop.mask
    assert set(np.unique(mask)) == {0.0, 1 / (1 - p)}
    dropped = np.mean(mask == 0)
    assert abs(dropped - p) < 0.005           # 1e5 draws: s = 0.0014
    assert abs(mask.mean() - 1.0) < 0.01      # E[mask] = 1


def test_expectation_is_preserved():
    x = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -4.0]])
    drop = nb.Dropout(0.6, rng=1)
    mean = np.mean([drop.forward(x) for _ in range(20000)], axis=0)
    assert np.allclose(mean, x, atol=0.06)


def test_every_forward_in_training_draws_a_new_mask():
    drop = nb.Dropout(0.5, rng=0)
    x = np.ones((4, 10))
    first = drop.forward(x).copy()
    assert not np.array_equal(drop.forward(x), first)


def test_the_same_seed_gives_the_same_masks():
    x = np.ones((5, 6))
    a, b = nb.Dropout(0.4, rng=3), nb.Dropout(0.4, rng=3)
    for _ in range(3):
        assert np.array_equal(a.forward(x), b.forward(x))
    gen = np.random.default_rng(3)
    assert np.array_equal(nb.Dropout(0.4, rng=gen).forward(x),
                          nb.Dropout(0.4, rng=3).forward(x))


def test_backward_multiplies_by_the_mask_of_the_last_forward():
    rng = np.random.default_rng(2)
    x, g = rng.standard_normal((6, 5)), rng.standard_normal((6, 5))
    drop = nb.Dropout(0.5, rng=0)
    drop.forward(x)
    assert np.array_equal(drop.backward(g), g * drop.mask)
    assert np.all(drop.backward(g)[drop.mask == 0] == 0)


def test_evaluation_mode_is_the_identity():
    x = np.random.default_rng(0).standard_normal((4, 3))
    g = np.ones((4, 3))
    drop = nb.Dropout(0.9, rng=0)
    drop.forward(x)
    assert drop.eval() is drop
    out = drop.forward(x)
    assert np.array_equal(out, x) and drop.mask is None
    assert np.array_equal(drop.backward(g), g)
    drop.train()
    drop.forward(x)
    assert drop.mask is not None
    assert np.array_equal(drop.backward(g), drop.mask)


def test_p_zero_is_the_identity_in_training():
    x = np.random.default_rng(0).standard_normal((7, 3))
    drop = nb.Dropout(0, rng=0)
    assert np.array_equal(drop.forward(x), x)
    assert np.array_equal(drop.mask, np.ones((7, 3)))
    assert np.array_equal(drop.backward(2 * x), 2 * x)


def test_a_large_p_keeps_the_values_finite():
    drop = nb.Dropout(1 - 1e-12, rng=0)
    with strict_numerics():
        out = drop.forward(np.full((50, 40), 1e3))
    assert np.all(np.isfinite(out))
    assert np.all((drop.mask == 0) | (drop.mask == 1 / (1 - (1 - 1e-12))))


def test_frozen_dropout_reuses_its_mask():
    x = np.ones((4, 10))
    drop = nb.Dropout(0.5, rng=0)
    assert drop.frozen is False
    assert drop.freeze() is drop and drop.frozen is True
    first = drop.forward(x).copy()            # no mask yet: draws one
    mask = drop.mask
    assert np.array_equal(drop.forward(3 * x), 3 * first)
    assert drop.mask is mask
    drop.freeze(False)
    assert drop.frozen is False
    assert not np.array_equal(drop.forward(x), first)


def test_a_frozen_mask_of_another_shape_or_dtype_is_refused():
    drop = nb.Dropout(0.5, rng=0).freeze()
    drop.forward(np.ones((4, 10)))
    with pytest.raises(ValueError, match=exactly(
            "Dropout is frozen with a mask of shape (4, 10) and dtype "
            "float64, got x of shape (3, 10) and dtype float64; call "
            "freeze(False) to draw new masks.")):
        drop.forward(np.ones((3, 10)))
    with pytest.raises(ValueError, match=r"got x of shape \(4, 10\) and "
                                         r"dtype float32"):
        drop.forward(np.ones((4, 10), dtype=np.float32))


def test_freeze_wants_a_bool():
    with pytest.raises(TypeError, match=exactly(
            "frozen must be True or False, got int.")):
        nb.Dropout(0.5).freeze(1)


def test_gradient_check_fails_with_fresh_masks_and_passes_frozen():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((8, 5)), rng.standard_normal((8, 2))
    drop = nb.Dropout(0.5, rng=1)
    model = nb.Sequential([nb.Dense(5, 6, rng=2), nb.Tanh(), drop,
                           nb.Dense(6, 2, rng=3)])
    assert nb.check_gradients(model, nb.MSE(), X, Y) > 1e-1
    drop.freeze()
    assert nb.check_gradients(model, nb.MSE(), X, Y) < 1e-7
    assert nb.check_gradients(model.eval(), nb.MSE(), X, Y) < 1e-7


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_dtype_is_kept(dtype):
    x = np.ones((3, 4), dtype=dtype)
    drop = nb.Dropout(0.5, rng=0)
    out = drop.forward(x)
    assert out.dtype == dtype and drop.mask.dtype == dtype
    assert set(np.unique(drop.mask)) <= {dtype(0), dtype(2)}
    assert drop.backward(np.ones((3, 4), dtype=dtype)).dtype == dtype


def test_integer_input_becomes_float64():
    drop = nb.Dropout(0.5, rng=0)
    assert drop.forward(np.ones((2, 3), dtype=int)).dtype == np.float64


def test_forward_does_not_change_its_input():
    x = np.random.default_rng(0).standard_normal((5, 4))
    saved = x.copy()
    drop = nb.Dropout(0.5, rng=0)
    out = drop.forward(x)
    drop.backward(np.ones_like(out))
    assert np.array_equal(x, saved) and out is not x


@pytest.mark.parametrize("p", [1, 1.0])
def test_p_one_is_refused(p):
    with pytest.raises(ValueError, match=exactly(
            f"p must be in [0, 1), got {p}. p = 1 would drop every entry, "
            "and the inverted scale 1 / (1 - p) is undefined.")):
        nb.Dropout(p)


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan"), float("inf"),
                               -float("inf")])
def test_p_out_of_range_is_refused(p):
    with pytest.raises(ValueError, match=exactly(
            f"p must be in [0, 1), got {p}.")):
        nb.Dropout(p)


@pytest.mark.parametrize("p", ["0.5", None, True, [0.5]])
def test_p_not_a_number_is_refused(p):
    with pytest.raises(TypeError, match=exactly(
            f"p must be a number in [0, 1), got {p!r}.")):
        nb.Dropout(p)


def test_p_as_numpy_float_and_the_repr():
    drop = nb.Dropout(np.float64(0.2), rng=0)
    assert repr(nb.Dropout(0.2)) == "Dropout(p=0.2)"
    drop.forward(np.ones((2, 2)))
    assert np.all((drop.mask == 0) | (drop.mask == 1.25))


def test_bad_rng_and_bad_input():
    with pytest.raises(TypeError, match="rng must be a np.random.Generator"):
        nb.Dropout(0.5, rng="seed")
    with pytest.raises(TypeError, match=exactly(
            "x must be a numeric array, got dtype <U1.")):
        nb.Dropout(0.5).forward(np.array([["a"]]))
    drop = nb.Dropout(0.5)
    drop.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=exactly(
            "Dropout.backward expected grad_out of shape (2, 3) (the shape "
            "of the forward output), got (3, 2).")):
        drop.backward(np.ones((3, 2)))


class RecordingDropout(nb.Dropout):
    """Dropout that notes (mode, batch size) at every forward."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = []

    def forward(self, x):
        self.calls.append((self.training, len(x)))
        return super().forward(x)


def test_fit_trains_in_training_mode_and_validates_in_evaluation_mode():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((12, 3)), rng.integers(0, 2, 12)
    X_val, y_val = rng.standard_normal((7, 3)), rng.integers(0, 2, 7)
    drop = RecordingDropout(0.5, rng=0)
    model = nb.Sequential([nb.Dense(3, 4, rng=1), nb.ReLU(), drop,
                           nb.Dense(4, 2, rng=2)])
    model.eval()
    nb.fit(model, nb.CrossEntropy(), nb.SGD(0.1), X, y, epochs=2,
           batch_size=6, rng=0, validation_data=(X_val, y_val))
    assert model.training is False and drop.training is False   # restored
    checks = len(drop.calls) - 6                  # fit's target checks first
    assert all(not training for training, _ in drop.calls[:checks])
    epoch = [(True, 6), (True, 6), (False, 7)]    # 2 batches, then X_val
    assert drop.calls[checks:] == epoch + epoch
