"""clip_grad_norm: PyTorch's clip_grad_norm_ on a list of NumPy arrays."""

import numpy as np
import pytest
from helpers import strict_numerics

import nnbook as nb
from nnbook import clip_grad_norm
from nnbook.clipping import global_norm


def _grads():
    return [np.array([3.0, 0.0]), np.array([[0.0], [4.0]])]      # norm 5


def test_reference_values():
    grads = _grads()
    before = [g for g in grads]
    total = clip_grad_norm(grads, 1.0)
    assert total == 5.0 and isinstance(total, float)
    coef = 1.0 / (5.0 + 1e-6)                  # torch: max_norm / (norm + 1e-6)
    assert np.array_equal(grads[0], np.array([3.0, 0.0]) * coef)
    assert np.array_equal(grads[1], np.array([[0.0], [4.0]]) * coef)
    assert all(g is h for g, h in zip(grads, before))            # in place
    assert global_norm(grads) < 1.0


def test_torch_semantics_at_the_bound():
    # clip_coef = 5 / (5 + 1e-6) < 1: scaled, very slightly, as torch does.
    grads = _grads()
    assert clip_grad_norm(grads, 5.0) == 5.0
    assert np.array_equal(grads[1], [[0.0], [4.0 * 5.0 / (5.0 + 1e-6)]])
    assert grads[1][1, 0] < 4.0
    # A bound above norm + 1e-6: nothing changes.
    grads = _grads()
    assert clip_grad_norm(grads, 5.00001) == 5.0
    assert np.array_equal(grads[1], [[0.0], [4.0]])
    grads = _grads()
    clip_grad_norm(grads, 1e6)
    assert np.array_equal(grads[0], [3.0, 0.0])


def test_the_direction_is_kept():
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal(s) for s in [(3, 4), (4,), (4, 2), (2,)]]
    flat = np.concatenate([g.ravel() for g in grads])
    total = clip_grad_norm(grads, 0.5)
    assert total == pytest.approx(np.linalg.norm(flat), rel=1e-14)
    after = np.concatenate([g.ravel() for g in grads])
    assert np.allclose(after, flat * 0.5 / (total + 1e-6), rtol=1e-14, atol=0)
    assert np.linalg.norm(after) == pytest.approx(0.5, rel=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_global_norm_over_random_shapes(seed):
    rng = np.random.default_rng(seed)
    grads = [rng.standard_normal(tuple(rng.integers(1, 5, size=rng.integers(1, 4))))
             * 10.0 ** rng.integers(-3, 4) for _ in range(rng.integers(1, 6))]
    flat = np.concatenate([g.ravel() for g in grads])
    assert global_norm(grads) == pytest.approx(np.linalg.norm(flat), rel=1e-13)


def test_the_model_gradients_are_clipped_in_place():
    net = nb.Sequential([nb.Dense(3, 4, rng=0), nb.Tanh(), nb.Dense(4, 2, rng=1)])
    X = np.random.default_rng(0).standard_normal((5, 3))
    loss = nb.MSE()
    loss.forward(net.forward(X), np.full((5, 2), 10.0))
    net.backward(loss.backward())
    total = clip_grad_norm(net.gradients(), 0.1)
    assert total > 1.0
    assert global_norm(net.gradients()) == pytest.approx(0.1, rel=1e-5)
    assert global_norm(net.gradients()) < 0.1


def test_the_norm_of_float32_gradients_is_summed_in_float64():
    g32 = np.random.default_rng(3).standard_normal(10_000).astype(np.float32)
    exact = np.linalg.norm(g32.astype(np.float64))
    assert np.linalg.norm(g32) != exact                  # float32 sums differ
    assert clip_grad_norm([g32.copy()], 1e9) == pytest.approx(exact, rel=1e-13)


def test_float32_is_kept():
    grads = [np.array([3.0, 4.0], dtype=np.float32)]
    total = clip_grad_norm(grads, 1.0)
    assert total == 5.0 and isinstance(total, float)
    assert grads[0].dtype == np.float32
    assert np.allclose(grads[0], [0.6, 0.8], rtol=1e-6)


def test_a_single_array_and_an_empty_list():
    g = np.array([[6.0, 8.0]])
    assert clip_grad_norm(g, 5.0) == 10.0
    assert np.allclose(g, [[3.0, 4.0]], rtol=1e-6)
    assert clip_grad_norm([], 1.0) == 0.0
    assert clip_grad_norm((np.zeros(3),), 1.0) == 0.0


def test_unit_entries():
    assert global_norm([np.array([1.0, -1.0]), np.ones((1, 2))]) == pytest.approx(
        2.0, rel=1e-15)
    assert global_norm([np.array([1.0])]) == 1.0


def test_zero_gradients_stay_zero():
    grads = [np.zeros((2, 2)), np.zeros(0)]
    with strict_numerics():
        assert clip_grad_norm(grads, 1.0) == 0.0
    assert np.array_equal(grads[0], np.zeros((2, 2)))


def test_extreme_values_give_finite_norms():
    huge = [np.array([1e200, -1e200]), np.array([1e200])]
    with strict_numerics():
        total = clip_grad_norm(huge, 1.0)
    assert total == pytest.approx(np.sqrt(3) * 1e200, rel=1e-14)
    assert global_norm(huge) == pytest.approx(1.0, rel=1e-6)
    tiny = [np.array([3e-300]), np.array([4e-300])]
    with strict_numerics():
        assert clip_grad_norm(tiny, 1.0) == pytest.approx(5e-300, rel=1e-14)
    assert np.array_equal(tiny[0], [3e-300])
    mixed = [np.array([np.finfo(np.float64).max]), np.array([1.0])]
    with strict_numerics():
        assert clip_grad_norm(mixed, 2.0) == np.finfo(np.float64).max
    assert mixed[0][0] == pytest.approx(2.0) and mixed[1][0] < 1e-300


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_a_non_finite_norm_is_refused_and_nothing_changes(bad):
    grads = [np.array([1.0, 2.0]), np.array([bad])]
    with pytest.raises(ValueError) as info:
        clip_grad_norm(grads, 1.0)
    shown = "inf" if np.isinf(bad) else "nan"
    assert str(info.value) == (
        f"the global norm of the gradients is {shown}, not finite: no factor "
        f"can clip it (the gradients are left unchanged). The training has "
        f"diverged: lower the learning rate.")
    assert np.array_equal(grads[0], [1.0, 2.0])


@pytest.mark.parametrize("max_norm, error", [
    (0.0, ValueError), (-1.0, ValueError), (np.inf, ValueError),
    (np.nan, ValueError), ("1", TypeError), (True, TypeError),
    (None, TypeError)])
def test_bad_max_norm(max_norm, error):
    grads = _grads()
    with pytest.raises(error, match="^max_norm must be"):
        clip_grad_norm(grads, max_norm)
    assert np.array_equal(grads[0], [3.0, 0.0])


def test_tiny_max_norm_is_allowed():
    grads = _grads()
    clip_grad_norm(grads, 1e-300)
    assert np.all(np.abs(grads[1]) <= 1e-300)


@pytest.mark.parametrize("grads, message", [
    ({"W": np.ones(2)}, "grads must be a list of gradient arrays, such as "
                        "model.gradients(), got dict."),
    (None, "grads must be a list of gradient arrays, such as "
           "model.gradients(), got NoneType."),
    ([np.ones(2), None], "grads[1] must be a float ndarray (scaled in place), "
                         "got None: call backward first."),
    ([np.ones(2, dtype=int)], "grads[0] must be a float ndarray (scaled in "
                              "place), got ndarray of dtype int64."),
    ([[1.0, 2.0]], "grads[0] must be a float ndarray (scaled in place), "
                   "got list."),
])
def test_bad_grads(grads, message):
    with pytest.raises(TypeError) as info:
        clip_grad_norm(grads, 1.0)
    assert str(info.value) == message
