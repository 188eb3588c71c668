"""Nesterov, weight decay, AdamW, RMSProp, AdaGrad, schedules and fit's lr_schedule.

The reference values are the parameters after three steps of the
torch.optim class of the same name and hyper-parameters (PyTorch 2.13.0,
float64), computed once in a throwaway environment: torch is not a
dependency. nnbook reproduced every one of them to the last bit.
"""

import math

import numpy as np
import pytest

import nnbook as nb
from nnbook import (SGD, AdaGrad, Adam, AdamW, Dense, MSE, RMSProp, cosine,
                    fit, step_decay, warmup)

P0 = np.array([0.5, -1.5, 2.0])
GRADS = [np.array([0.3, -0.2, 1.0]), np.array([-0.4, 0.1, 0.5]),
         np.array([0.2, 0.6, -0.3])]

# (nnbook optimizer, torch.optim class and arguments it was compared with,
#  parameters after the three steps of GRADS from P0)
REFERENCE = {
    "sgd": (lambda: SGD(0.1), [0.49, -1.55, 1.88]),
    "sgd_wd": (lambda: SGD(0.1, weight_decay=0.1),
               [0.47534650000000006, -1.5057465, 1.8230879999999998]),
    "momentum": (lambda: SGD(0.1, momentum=0.9), [0.4747, -1.5248, 1.664]),
    "momentum_wd": (lambda: SGD(0.1, momentum=0.9, weight_decay=0.1),
                    [0.44762650000000004, -1.4420265, 1.5570479999999998]),
    "nesterov": (lambda: SGD(0.1, momentum=0.9, nesterov=True),
                 [0.46723000000000003, -1.57232, 1.5776000000000001]),
    "nesterov_wd": (lambda: SGD(0.1, momentum=0.5, nesterov=True,
                                weight_decay=0.2),
                    [0.435296, -1.4223325, 1.583561]),
    "adam": (lambda: Adam(0.01),
             [0.4909499418049491, -1.4926048488557482, 1.9753759839042229]),
    "adam_wd": (lambda: Adam(0.01, weight_decay=0.1),
                [0.48804416595790256, -1.4837153649964308, 1.9735804567981656]),
    # torch.optim.Adam(lr=0.01, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.3)
    "adam_b": (lambda: Adam(0.01, beta1=0.8, beta2=0.9, eps=1e-3,
                            weight_decay=0.3),
               [0.4834020709552706, -1.4753975587271448, 1.9720756209789199]),
    "adamw": (lambda: AdamW(0.01),
              [0.49080176319397883, -1.492157160091171, 1.97477897598183]),
    "adamw_wd": (lambda: AdamW(0.01, beta1=0.8, beta2=0.9, eps=1e-3,
                               weight_decay=0.5),
                 [0.4841911866951692, -1.4715063362777674, 1.9463346705576328]),
    "rmsprop": (lambda: RMSProp(0.01),         # torch.optim.RMSprop(lr=0.01)
                [0.44278628812042964, -1.5387081549786392, 1.881234104923162]),
    "rmsprop_b": (lambda: RMSProp(0.01, alpha=0.5, eps=1e-3),
                  [0.4909144952355764, -1.5078804814907079, 1.9839350155654898]),
    "adagrad": (lambda: AdaGrad(0.1),          # torch.optim.Adagrad(lr=0.1)
                [0.4428609323888195, -1.5384256166985253, 1.881194693229206]),
    "adagrad_b": (lambda: AdaGrad(0.1, eps=1e-2),
                  [0.4451951934391664, -1.5398322240129738, 1.8823592831072635]),
}


def three_steps(optimizer, dtype=np.float64):
    p = P0.astype(dtype)
    grads = [g.astype(dtype) for g in GRADS]
    copies = [g.copy() for g in grads]
    for g in grads:
        optimizer.step([p], [g])
    for g, copy in zip(grads, copies):             # the gradients are untouched
        np.testing.assert_array_equal(g, copy)
    return p


@pytest.mark.parametrize("name", REFERENCE)
def test_three_steps_equal_torch_optim(name):
    make, expected = REFERENCE[name]
    np.testing.assert_allclose(three_steps(make()), expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", REFERENCE)
def test_float32_stays_float32(name):
    make, expected = REFERENCE[name]
    p = three_steps(make(), np.float32)
    assert p.dtype == np.float32
    np.testing.assert_allclose(p, expected, rtol=1e-5)


def test_one_step_by_hand():
    """The first step of each rule, written out from its formula."""
    g, p = np.array([0.3, -0.2, 1.0]), P0
    cases = [
        (SGD(0.1, momentum=0.9, nesterov=True), p - 0.1 * (g + 0.9 * g)),
        (SGD(0.1, weight_decay=0.5), p - 0.1 * (g + 0.5 * p)),
        (RMSProp(0.01, alpha=0.9, eps=0.0 + 1e-8),
         p - 0.01 * g / (np.sqrt(0.1 * g**2) + 1e-8)),
        (AdaGrad(0.1, eps=1e-10), p - 0.1 * g / (np.abs(g) + 1e-10)),
        (AdamW(0.01, weight_decay=0.5),
         p * (1 - 0.01 * 0.5) - 0.01 * g / (np.abs(g) + 1e-8)),
        (Adam(0.01, weight_decay=0.5),
         p - 0.01 * (g + 0.5 * p) / (np.abs(g + 0.5 * p) + 1e-8)),
    ]
    for optimizer, expected in cases:
        q = p.copy()
        optimizer.step([q], [g])
        np.testing.assert_allclose(q, expected, rtol=1e-13, err_msg=repr(optimizer))


def test_nesterov_looks_ahead_by_mu_v():
    # At step 2 with g = 1 both times: v = 1.9, heavy ball steps lr * 1.9,
    # Nesterov steps lr * (1 + 0.9 * 1.9) = lr * 2.71.
    heavy, ahead = SGD(1.0, momentum=0.9), SGD(1.0, momentum=0.9, nesterov=True)
    p, q = np.zeros(1), np.zeros(1)
    for _ in range(2):
        heavy.step([p], [np.ones(1)])
        ahead.step([q], [np.ones(1)])
    assert p[0] == pytest.approx(-2.9)
    assert q[0] == pytest.approx(-(1.9 + 2.71))
    assert heavy.velocity[0][0] == pytest.approx(1.9) == ahead.velocity[0][0]


def test_adam_l2_and_adamw_decay_differ():
    """L2 in the gradient is rescaled by Adam; AdamW's decay is not."""
    p, q = np.array([10.0]), np.array([10.0])
    adam, adamw = Adam(0.1, weight_decay=0.1), AdamW(0.1, weight_decay=0.1)
    adam.step([p], [np.zeros(1)])
    adamw.step([q], [np.zeros(1)])
    assert 10 - p[0] == pytest.approx(0.1)              # one Adam step of lr
    assert 10 - q[0] == pytest.approx(10 * 0.1 * 0.1)   # lr * wd * p = 0.1
    adamw.step([q], [np.zeros(1)])
    assert q[0] == pytest.approx(10 * 0.99**2)


def test_zero_weight_decay_is_the_plain_rule():
    for plain, decayed in [(SGD(0.1), SGD(0.1, weight_decay=0.0)),
                           (Adam(0.1), Adam(0.1, weight_decay=0.0)),
                           (Adam(0.1), AdamW(0.1, weight_decay=0.0))]:
        np.testing.assert_array_equal(three_steps(plain), three_steps(decayed))


def test_state_is_kept_per_parameter():
    layer = Dense(2, 3, rng=0)
    layer.forward(np.ones((4, 2)))
    layer.backward(np.ones((4, 3)))
    rms, ada, adamw = RMSProp(0.1), AdaGrad(0.1), AdamW()
    assert rms.v is None and ada.G is None and adamw.m is None
    for optimizer in (rms, ada, adamw):
        optimizer.step(layer.parameters(), layer.gradients())
    assert [v.shape for v in rms.v] == [G.shape for G in ada.G] == [(2, 3), (3,)]
    assert [m.shape for m in adamw.m] == [(2, 3), (3,)] and adamw.t == 1
    np.testing.assert_array_equal(ada.G[1], np.full(3, 16.0))     # (4 * 1)^2
    np.testing.assert_allclose(rms.v[1], np.full(3, 0.01 * 16.0))


def test_reprs_show_the_defaults():
    assert repr(AdamW()) == ("AdamW(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, "
                             "weight_decay=0.01)")
    assert repr(RMSProp(0.01)) == "RMSProp(lr=0.01, alpha=0.99, eps=1e-08)"
    assert repr(AdaGrad(0.1)) == "AdaGrad(lr=0.1, eps=1e-10)"
    assert repr(SGD(0.1)) == "SGD(lr=0.1, momentum=0.0)"
    assert repr(SGD(0.1, 0.9, nesterov=True, weight_decay=0.01)) == (
        "SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)")
    assert repr(Adam(weight_decay=0.5)) == (
        "Adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0.5)")
    sgd = SGD(0.1)
    assert sgd.nesterov is False and sgd.weight_decay == 0.0
    assert Adam().weight_decay == 0.0


def test_exports():
    for name in ("AdamW", "RMSProp", "AdaGrad", "step_decay", "cosine", "warmup"):
        assert name in nb.__all__ and hasattr(nb, name)


# --- bad hyper-parameters -----------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda v: RMSProp(v), lambda v: AdaGrad(v), lambda v: AdamW(v),
    lambda v: SGD(v, momentum=0.9, nesterov=True)])
@pytest.mark.parametrize("lr, exc, message", [
    (-0.1, ValueError, "lr must be > 0, got -0.1."),
    (0.0, ValueError, "lr must be > 0, got 0.0."),
    (math.inf, ValueError, "lr must be a finite number, got inf."),
    ("0.1", TypeError, "lr must be a number, got '0.1'."),
])
def test_learning_rate(make, lr, exc, message):
    with pytest.raises(exc) as info:
        make(lr)
    assert str(info.value) == message


@pytest.mark.parametrize("alpha", [-0.1, 1.0, 1.5])
def test_rmsprop_alpha_in_range(alpha):
    with pytest.raises(ValueError) as info:
        RMSProp(0.1, alpha=alpha)
    assert str(info.value) == f"alpha must be in [0.0, 1.0), got {alpha}."
    RMSProp(0.1, alpha=0.0)                       # the boundary is allowed


@pytest.mark.parametrize("make", [
    lambda e: RMSProp(0.1, eps=e), lambda e: AdaGrad(0.1, eps=e),
    lambda e: AdamW(eps=e)])
def test_eps_positive(make):
    with pytest.raises(ValueError, match=r"^eps must be > 0, got 0\.0\.$"):
        make(0.0)


@pytest.mark.parametrize("make", [
    lambda w: SGD(0.1, weight_decay=w), lambda w: SGD(0.1, 0.9, weight_decay=w),
    lambda w: Adam(weight_decay=w), lambda w: AdamW(weight_decay=w)])
def test_weight_decay_not_negative(make):
    with pytest.raises(ValueError) as info:
        make(-0.01)
    assert str(info.value) == "weight_decay must be in [0.0, inf), got -0.01."
    with pytest.raises(ValueError, match="weight_decay must be a finite number"):
        make(math.inf)
    make(0.0)


def test_nesterov_needs_momentum():
    with pytest.raises(ValueError) as info:
        SGD(0.1, nesterov=True)
    assert str(info.value) == (
        "nesterov=True needs a momentum > 0, got momentum=0.0 (without a "
        "velocity there is nothing to look ahead with).")
    with pytest.raises(TypeError) as info:
        SGD(0.1, 0.9, nesterov=1)
    assert str(info.value) == "nesterov must be True or False, got int."
    with pytest.raises(TypeError):
        SGD(0.1, 0.9, True)                        # nesterov is keyword-only


def test_extreme_gradients_stay_finite():
    for optimizer in (RMSProp(0.01), AdaGrad(0.01), AdamW(0.01),
                      SGD(0.01, 0.9, nesterov=True, weight_decay=0.1)):
        p = np.ones(3)
        optimizer.step([p], [np.array([1e150, -1e-150, 0.0])])
        assert np.isfinite(p).all(), repr(optimizer)


# --- schedules ----------------------------------------------------------------------

def test_step_decay_equals_torch_steplr():
    # torch.optim.lr_scheduler.StepLR(step_size=3, gamma=0.5), lr 1.0
    schedule = step_decay(3, gamma=0.5)
    assert [schedule(t) for t in range(10)] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5,
                                                0.25, 0.25, 0.25, 0.125]
    assert step_decay(1)(2) == pytest.approx(0.01)      # default gamma 0.1


def test_cosine_equals_torch_cosine_annealing():
    # torch.optim.lr_scheduler.CosineAnnealingLR(T_max=10, eta_min=0.1), lr 1.0
    torch_lrs = [1.0, 0.977975432333, 0.914057647469, 0.814503363532,
                 0.689057647469, 0.55, 0.410942352531, 0.285496636468,
                 0.185942352531, 0.122024567667, 0.1]
    schedule = cosine(10, min_factor=0.1)
    np.testing.assert_allclose([schedule(t) for t in range(11)], torch_lrs,
                               rtol=0, atol=1e-12)
    assert schedule(11) == schedule(100) == pytest.approx(0.1)   # stays
    assert cosine(4)(2) == pytest.approx(0.5) and cosine(4)(4) == 0.0


def test_warmup_is_linear_then_hands_over():
    schedule = warmup(4, then=cosine(6))
    values = [schedule(t) for t in range(12)]
    np.testing.assert_allclose(values[:6], [0.25, 0.5, 0.75, 1.0, 1.0,
                                            (1 + math.cos(math.pi / 6)) / 2])
    assert values[10] == 0.0 and values[11] == 0.0
    assert [warmup(2)(t) for t in range(4)] == [0.5, 1.0, 1.0, 1.0]


@pytest.mark.parametrize("make, exc, message", [
    (lambda: step_decay(0), ValueError, "step_size must be >= 1, got 0."),
    (lambda: step_decay(2.0), TypeError, "step_size must be an integer, got 2.0."),
    (lambda: step_decay(2, gamma=0), ValueError, "gamma must be > 0, got 0."),
    (lambda: cosine(0), ValueError, "total_steps must be >= 1, got 0."),
    (lambda: cosine(5, min_factor=1.0), ValueError,
     "min_factor must be in [0.0, 1.0), got 1.0."),
    (lambda: cosine(5, min_factor=-0.1), ValueError,
     "min_factor must be in [0.0, 1.0), got -0.1."),
    (lambda: warmup(0), ValueError, "warmup_steps must be >= 1, got 0."),
    (lambda: warmup(3, then=0.5), TypeError,
     "then must be a schedule (a function of the step) or None, got float."),
])
def test_schedule_arguments(make, exc, message):
    with pytest.raises(exc) as info:
        make()
    assert str(info.value) == message


# --- fit(..., lr_schedule=) ---------------------------------------------------------

class RecordingSGD(SGD):
    """SGD that records the learning rate of every step."""

    def __init__(self, lr):
        super().__init__(lr)
        self.lrs = []

    def update(self, params, grads):
        self.lrs.append(self.lr)
        super().update(params, grads)


def _data(n=10):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, 2)), rng.standard_normal((n, 1))


def test_fit_sets_the_lr_before_every_step_and_restores_it():
    X, y = _data(10)                       # batch 4: 3 steps per epoch
    optimizer = RecordingSGD(0.2)
    fit(Dense(2, 1, rng=0), MSE(), optimizer, X, y, epochs=2, batch_size=4,
        rng=0, lr_schedule=lambda t: 1.0 / (t + 1))
    np.testing.assert_allclose(optimizer.lrs, [0.2 / (t + 1) for t in range(6)])
    assert optimizer.lr == 0.2


def test_fit_with_a_constant_schedule_trains_as_without():
    X, y = _data(12)
    a, b = Dense(2, 1, rng=0), Dense(2, 1, rng=0)
    ha = fit(a, MSE(), SGD(0.1), X, y, epochs=3, batch_size=4, rng=1)
    hb = fit(b, MSE(), SGD(0.1), X, y, epochs=3, batch_size=4, rng=1,
             lr_schedule=warmup(1))
    assert ha == hb
    np.testing.assert_array_equal(a.W, b.W)


@pytest.mark.parametrize("factor", [-0.5, math.nan, math.inf, "1"])
def test_fit_refuses_a_bad_factor_and_restores_the_lr(factor):
    X, y = _data(4)
    optimizer = SGD(0.1)
    with pytest.raises(ValueError) as info:
        fit(Dense(2, 1, rng=0), MSE(), optimizer, X, y, epochs=1, batch_size=2,
            lr_schedule=lambda t: 1.0 if t == 0 else factor)
    assert str(info.value) == (f"lr_schedule(1) must be a finite number >= 0, "
                               f"got {factor!r}.")
    assert optimizer.lr == 0.1


def test_fit_allows_a_zero_factor():
    X, y = _data(4)
    layer = Dense(2, 1, rng=0)
    W = layer.W.copy()
    fit(layer, MSE(), SGD(0.1), X, y, epochs=1, lr_schedule=lambda t: 0)
    np.testing.assert_array_equal(layer.W, W)


def test_fit_checks_the_schedule():
    X, y = _data(4)
    with pytest.raises(TypeError) as info:
        fit(Dense(2, 1), MSE(), SGD(0.1), X, y, epochs=1, lr_schedule=0.5)
    assert str(info.value) == ("lr_schedule must be a function of the step (such "
                               "as nnbook.cosine(100)) or None, got float.")

    class NoLR(nb.Optimizer):
        def update(self, params, grads):
            pass

    with pytest.raises(TypeError) as info:
        fit(Dense(2, 1), MSE(), NoLR(), X, y, epochs=1, lr_schedule=cosine(3))
    assert str(info.value) == ("lr_schedule needs an optimizer with an lr "
                               "attribute, got NoLR.")
