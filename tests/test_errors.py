"""Bad input: a ValueError/TypeError/RuntimeError that names what was expected
and what came.

Most tests match the part of the message that points at the problem; the
``raises_exactly`` ones pin the whole message (anchored at both ends), so a
message that names the wrong argument or the wrong number fails. Mutation
testing found messages that a partial match let through, e.g. ``"XXXXX must
be a numeric array"`` matched by ``"X must be a numeric array"``.
"""

import re

import numpy as np
import pytest

from nnbook import (
    MSE,
    SGD,
    Adam,
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    Identity,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
    Value,
    fit,
    mlp,
)
from nnbook.module import Module


def raises_exactly(exc, message):
    return pytest.raises(exc, match=rf"^{re.escape(message)}$")


STRINGS = np.array([["a", "b"]])


def tiny_fit(X=None, y=None, **kwargs):
    """fit a 3-2 classifier, with the arguments of a test replacing defaults."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 3)) if X is None else X
    y = np.arange(10) % 2 if y is None else y
    options = {"epochs": 1, "batch_size": 4, "rng": 0} | kwargs
    return fit(Sequential([Dense(3, 2, rng=0)]), CrossEntropy(), SGD(0.1), X, y,
               **options)


# --- Dense ---------------------------------------------------------------------------

def test_dense_wrong_feature_count_names_both_numbers():
    with pytest.raises(ValueError, match=r"\(batch, 3\).*got shape \(5, 4\)"):
        Dense(3, 2).forward(np.ones((5, 4)))


def test_dense_1d_input():
    with pytest.raises(ValueError, match=r"\(batch, 3\).*got shape \(3,\)"):
        Dense(3, 2).forward(np.ones(3))


def test_dense_3d_input():
    with pytest.raises(ValueError, match=r"got shape \(2, 2, 3\)"):
        Dense(3, 2).forward(np.ones((2, 2, 3)))


@pytest.mark.parametrize("n_in, n_out, name", [(0, 3, "n_in"), (3, 0, "n_out"),
                                               (-1, 3, "n_in")])
def test_dense_needs_at_least_one_unit(n_in, n_out, name):
    bad = n_in if name == "n_in" else n_out
    with pytest.raises(ValueError, match=rf"{name} must be >= 1, got {bad}"):
        Dense(n_in, n_out)


@pytest.mark.parametrize("n_in", [2.5, "3", None, 3.0, True])
def test_dense_non_integer_n_in(n_in):
    with pytest.raises(TypeError, match=rf"n_in must be an integer, got {re.escape(repr(n_in))}"):
        Dense(n_in, 3)


def test_dense_numpy_integers_are_fine():
    assert Dense(np.int64(3), np.int32(2)).W.shape == (3, 2)


def test_dense_unknown_init():
    with pytest.raises(ValueError, match=r"init must be one of .*'he'.*got 'glorot'"):
        Dense(3, 2, init="glorot")


@pytest.mark.parametrize("rng", ["seed", 1.5, np.random.RandomState(0), [0]])
def test_dense_rng_of_a_wrong_type(rng):
    with pytest.raises(TypeError, match=r"rng must be a np.random.Generator, an int "
                                        r"seed or None, got"):
        Dense(3, 2, rng=rng)


@pytest.mark.parametrize("make", [lambda rng: Dense(3, 2, rng=rng),
                                  lambda rng: mlp([2, 3, 1], ReLU, rng=rng),
                                  lambda rng: fit(Dense(1, 1, rng=0), MSE(), SGD(0.1),
                                                  np.ones((2, 1)), np.ones((2, 1)),
                                                  epochs=1, rng=rng)])
def test_a_negative_int_seed_is_refused_in_nnbook_words(make):
    with pytest.raises(ValueError, match=r"^an int seed rng must be >= 0, got -1\.$"):
        make(-1)
    make(np.int64(0))                        # 0 and NumPy integers are seeds


@pytest.mark.parametrize("shape", [(4, 3), (5, 2), (2,), (4, 2, 1)])
def test_dense_grad_out_of_a_wrong_shape(shape):
    layer = Dense(3, 2)
    layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError,
                       match=rf"expected dZ of shape \(4, 2\).*got {re.escape(str(shape))}"):
        layer.backward(np.ones(shape))


# --- activations ---------------------------------------------------------------------

ACTIVATIONS = [Identity, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax]


@pytest.mark.parametrize("make", ACTIVATIONS)
def test_activation_grad_out_of_a_wrong_shape(make):
    module = make()
    module.forward(np.ones((2, 3)))
    with pytest.raises(ValueError,
                       match=r"expected grad_out of shape \(2, 3\).*got \(3, 2\)"):
        module.backward(np.ones((3, 2)))


def test_softmax_needs_2d_input():
    with pytest.raises(ValueError, match=r"2-D input .*got shape \(3,\)"):
        Softmax().forward(np.ones(3))


@pytest.mark.parametrize("alpha", [-0.1, 1.0, 2.0])
def test_leaky_relu_alpha_range(alpha):
    with pytest.raises(ValueError, match=rf"alpha must be in \[0, 1\), got {alpha}"):
        LeakyReLU(alpha)


# --- Sequential ----------------------------------------------------------------------

def test_sequential_refuses_a_non_module():
    with pytest.raises(TypeError, match=r"layers\[1\] must be a Module.*got str"):
        Sequential([Dense(2, 2), "relu"])


# --- losses --------------------------------------------------------------------------

@pytest.mark.parametrize("loss", [MSE(), BinaryCrossEntropy()])
def test_loss_shape_mismatch(loss):
    message = "pred has shape (4, 2) but target has shape (4, 3)"
    with pytest.raises(ValueError, match=re.escape(message)):
        loss.forward(np.full((4, 2), 0.5), np.full((4, 3), 0.5))


def test_cross_entropy_one_hot_shape_mismatch():
    with pytest.raises(ValueError, match=re.escape(
            "pred has shape (4, 3) but target has shape (4, 2)")):
        CrossEntropy().forward(np.zeros((4, 3)), np.eye(2)[[0, 1, 0, 1]])


@pytest.mark.parametrize("labels, low, high", [([0, 3, 1], 0, 3), ([0, -1, 2], -1, 2),
                                               ([5, 7, 6], 5, 7)])
def test_cross_entropy_labels_out_of_range(labels, low, high):
    with pytest.raises(ValueError, match=rf"labels must be in \[0, 3\) for 3 classes, "
                                         rf"got values from {low} to {high}"):
        CrossEntropy().forward(np.zeros((3, 3)), np.array(labels))


def test_cross_entropy_label_count():
    with pytest.raises(ValueError, match=r"logits have 3 rows but target has 2 labels"):
        CrossEntropy().forward(np.zeros((3, 3)), np.array([0, 1]))


def test_cross_entropy_1d_logits():
    with pytest.raises(ValueError, match=r"logits must be 2-D .*got shape \(3,\)"):
        CrossEntropy().forward(np.zeros(3), np.array([0]))


# --- optimizers ----------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda lr: SGD(lr), lambda lr: SGD(lr, momentum=0.9),
                                  lambda lr: Adam(lr)], ids=["SGD", "momentum", "Adam"])
@pytest.mark.parametrize("lr", [0, 0.0, -0.1])
def test_learning_rate_must_be_positive(make, lr):
    with pytest.raises(ValueError, match=rf"lr must be > 0, got {lr}"):
        make(lr)


@pytest.mark.parametrize("make", [SGD, Adam])
def test_learning_rate_must_be_a_number(make):
    with pytest.raises(TypeError, match=r"lr must be a number, got '0.1'"):
        make("0.1")


def test_adam_betas_range():
    with pytest.raises(ValueError, match=r"beta1 must be in \[0.0, 1.0\), got 1.0"):
        Adam(beta1=1.0)
    with pytest.raises(ValueError, match=r"beta2 must be in \[0.0, 1.0\), got 1.5"):
        Adam(beta2=1.5)


def test_step_with_mismatched_lists():
    with pytest.raises(ValueError, match="got 2 parameters but 1 gradients"):
        SGD(0.1).step([np.zeros(2), np.zeros(2)], [np.zeros(2)])


# --- fit -----------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_fit_refuses_non_finite_X(bad):
    X = np.random.default_rng(0).standard_normal((10, 3))
    X[4, 1] = bad
    with pytest.raises(ValueError, match=r"X contains NaN or infinite values \(1 of 30\)"):
        tiny_fit(X=X)


def test_fit_refuses_non_finite_y():
    y = np.zeros((10, 2))
    y[3] = [np.nan, np.inf]
    X = np.random.default_rng(0).standard_normal((10, 3))
    with pytest.raises(ValueError, match=r"y contains NaN or infinite values \(2 of 20\)"):
        fit(Sequential([Dense(3, 2)]), MSE(), SGD(0.1), X, y, epochs=1)


def test_fit_refuses_non_finite_validation_data():
    X = np.random.default_rng(0).standard_normal((10, 3))
    X_val = X.copy()
    X_val[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"X_val contains NaN"):
        tiny_fit(X=X, validation_data=(X_val, np.arange(10) % 2))


def test_fit_length_mismatch():
    with pytest.raises(ValueError, match=r"same number of samples, got len\(X\) = 10 "
                                         r"and len\(y\) = 9"):
        tiny_fit(y=np.arange(9) % 2)


def test_fit_wrong_feature_count_is_reported_by_dense():
    with pytest.raises(ValueError, match=r"\(batch, 3\).*got shape \(4, 5\)"):
        tiny_fit(X=np.zeros((10, 5)))


def test_fit_1d_X():
    with pytest.raises(ValueError, match=r"X must be at least 2-D, samples on axis 0"
                                         r".*got shape \(10,\)"):
        tiny_fit(X=np.zeros(10))


@pytest.mark.parametrize("batch_size", [0, -3])
def test_fit_batch_size_at_least_one(batch_size):
    with pytest.raises(ValueError, match=rf"batch_size must be >= 1, got {batch_size}"):
        tiny_fit(batch_size=batch_size)


@pytest.mark.parametrize("batch_size", [2.5, "4", None])
def test_fit_batch_size_must_be_an_integer(batch_size):
    with pytest.raises(TypeError, match="batch_size must be an integer"):
        tiny_fit(batch_size=batch_size)


def test_fit_epochs_not_negative():
    with pytest.raises(ValueError, match=r"epochs must be >= 0, got -1"):
        tiny_fit(epochs=-1)


def test_fit_epochs_must_be_an_integer():
    with pytest.raises(TypeError, match=r"epochs must be an integer, got 2.0"):
        tiny_fit(epochs=2.0)


def test_fit_rng_of_a_wrong_type():
    with pytest.raises(TypeError, match=r"rng must be a np.random.Generator"):
        tiny_fit(rng="0")


def test_fit_checks_before_training():
    """A bad argument is reported before any weight changes."""
    model = Sequential([Dense(3, 2, rng=0)])
    saved = [p.copy() for p in model.parameters()]
    X = np.random.default_rng(0).standard_normal((10, 3))
    y = np.arange(10) % 2
    for bad in ({"batch_size": 0}, {"verbose": -1},
                {"validation_data": (X, y[:5])},
                {"validation_data": (X[:, 0], y)}):
        with pytest.raises(ValueError):
            fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=1, **bad)
    assert all(np.array_equal(p, s) for p, s in zip(model.parameters(), saved))


# --- no silent wrong answer (issue 11's attack) ------------------------------------

def test_a_module_used_twice_in_one_network_is_refused():
    dense = Dense(3, 3, rng=0)
    with pytest.raises(ValueError, match=r"^the same Dense\(3, 3, init='he'\) "
                                         r"object appears twice in the network "
                                         r"\(modules 0 and 2, counting from 0\)"):
        Sequential([dense, Tanh(), dense])
    with pytest.raises(ValueError, match=r"modules 0 and 1"):   # nested too
        Sequential([Sequential([dense]), dense])
    model = Sequential([dense, Tanh()])
    model.layers.append(dense)                # added behind Sequential's back
    with pytest.raises(ValueError, match="appears twice"):
        fit(model, MSE(), SGD(0.1), np.ones((4, 3)), np.zeros((4, 3)), epochs=1)


def test_logits_into_binary_cross_entropy_say_what_to_do():
    with raises_exactly(ValueError, "pred must be probabilities in [0, 1], got "
                                    "values from -3.0 to 2.0. Did you forget a "
                                    "Sigmoid after the last layer? "
                                    "BinaryCrossEntropy takes probabilities, "
                                    "not logits."):
        BinaryCrossEntropy().forward(np.array([[2.0], [-3.0]]),
                                     np.array([[1.0], [0.0]]))


def test_a_softmax_layer_before_cross_entropy_is_refused_by_fit():
    model = Sequential([Dense(3, 2, rng=0), Softmax()])
    before = model.layers[0].W.copy()
    with pytest.raises(ValueError, match=r"^the model ends in a Softmax layer, "
                                         r"but CrossEntropy applies softmax "
                                         r"itself and takes logits"):
        tiny_fit_model(model)
    np.testing.assert_array_equal(model.layers[0].W, before)


def tiny_fit_model(model, **kwargs):
    X, y = np.random.default_rng(0).standard_normal((10, 3)), np.arange(10) % 2
    return fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=1, **kwargs)


@pytest.mark.parametrize("loss, pred, target, message", [
    (MSE(), [[np.nan]], [[1.0]], r"^pred contains NaN or infinite values \(1 of 1\)\.$"),
    (MSE(), [[1.0]], [[np.inf]], r"^target contains NaN"),
    (BinaryCrossEntropy(), [[0.5]], [[np.nan]], r"^target contains NaN"),
    (BinaryCrossEntropy(), [[np.nan]], [[1.0]],
     r"^pred contains NaN or infinite values \(1 of 1\)\.$"),
    (CrossEntropy(), [[np.inf, 0.0]], [0], r"^logits contains NaN"),
    (MSE(), np.zeros((0, 1)), np.zeros((0, 1)),
     r"^pred must hold at least 1 sample, got shape \(0, 1\)\.$"),
    (CrossEntropy(), np.zeros((0, 2)), np.zeros(0, dtype=int),
     r"^logits must hold at least 1 sample"),
    (CrossEntropy(), np.zeros((2, 2)), [[2.0, -1.0], [0.0, 1.0]],
     r"^one-hot target rows must be non-negative, got a smallest entry of -1\.$"),
])
def test_a_loss_refuses_non_finite_empty_and_negative_input(loss, pred, target,
                                                             message):
    with pytest.raises(ValueError, match=message):
        loss.forward(np.asarray(pred, dtype=float), np.asarray(target))


@pytest.mark.parametrize("loss", [MSE(), BinaryCrossEntropy(), CrossEntropy()])
def test_a_loss_refuses_complex_numbers(loss):
    with pytest.raises(TypeError, match=r"must be a numeric array, got dtype complex"):
        loss.forward(np.full((2, 2), 0.5 + 0j), np.array([[1.0, 0.0], [0.0, 1.0]]))


def test_fit_checks_every_target_before_changing_the_weights():
    X, y = np.random.default_rng(0).standard_normal((10, 3)), np.arange(10) % 2
    y[-1] = 5                                       # in the last batch
    model = Dense(3, 2, rng=0)
    before = model.W.copy()
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\)"):
        fit(model, CrossEntropy(), SGD(0.1), X, y, epochs=1, batch_size=2)
    with pytest.raises(ValueError, match=r"labels must be in \[0, 2\)"):
        fit(model, CrossEntropy(), SGD(0.1), X, y % 2, epochs=1, batch_size=2,
            validation_data=(X, y))
    np.testing.assert_array_equal(model.W, before)


@pytest.mark.parametrize("make, name, value", [
    (lambda v: SGD(v), "lr", float("inf")),
    (lambda v: SGD(v), "lr", float("nan")),
    (lambda v: SGD(0.1, momentum=v), "momentum", float("nan")),
    (lambda v: Adam(lr=v), "lr", float("inf")),
    (lambda v: Adam(eps=v), "eps", float("inf")),
    (lambda v: Adam(beta2=v), "beta2", float("-inf")),
    (lambda v: LeakyReLU(v), "alpha", float("nan")),
])
def test_non_finite_hyper_parameters_are_refused(make, name, value):
    with pytest.raises(ValueError, match=rf"^{name} must be a finite number, "
                                         rf"got {value}\.$"):
        make(value)


def test_an_optimizer_refuses_other_parameters_than_at_its_first_step():
    optimizer = SGD(0.1, momentum=0.9)
    a, b = Dense(2, 2, rng=0), Dense(2, 2, rng=1)
    grads = [np.ones((2, 2)), np.ones(2)]
    optimizer.step(a.parameters(), grads)
    optimizer.step(a.parameters(), grads)           # the same arrays: fine
    with raises_exactly(ValueError, "SGD(lr=0.1, momentum=0.9) got other parameter "
                                    "arrays than at its first step (then 2 arrays, "
                                    "now 2). Its state belongs to the first ones: "
                                    "create a new optimizer for each model."):
        optimizer.step(b.parameters(), grads)


def test_a_gradient_of_another_shape_is_not_broadcast():
    W = np.zeros((2, 2))
    with pytest.raises(ValueError, match=r"^grads\[0\] must have the shape of "
                                         r"params\[0\], \(2, 2\), "
                                         r"got \(2,\)\.$"):
        SGD(0.1).step([W], [np.ones(2)])
    with raises_exactly(TypeError, "params[0] must be a float ndarray (such as a "
                                   "layer's W), got list."):
        SGD(0.1).step([[0.0, 0.0]], [np.ones(2)])
    assert not W.any()


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.complex128, bool])
def test_a_layer_refuses_a_dtype_that_is_not_a_float(dtype):
    with pytest.raises(TypeError, match=r"^dtype must be a floating-point dtype"):
        Dense(2, 2, dtype=dtype)


@pytest.mark.parametrize("module", [Identity(), Sigmoid(), Tanh(), ReLU(),
                                    LeakyReLU(), Softmax(), Dense(1, 1)])
def test_complex_input_is_refused_by_every_module(module):
    name = "X" if isinstance(module, Dense) else "z"
    with raises_exactly(TypeError, f"{name} must be a numeric array, got dtype "
                                   f"complex128."):
        module.forward(np.array([[1j]]))


@pytest.mark.parametrize("kwargs, exc, message", [
    ({"validation_data": np.zeros((4, 3))}, TypeError,
     r"^validation_data must be a tuple \(X_val, y_val\), got ndarray\.$"),
    ({"validation_data": (1, 2, 3)}, TypeError,
     r"^validation_data must be a tuple \(X_val, y_val\), got tuple of length 3\.$"),
    ({"X": np.zeros((0, 3)), "y": np.zeros(0, dtype=int)}, ValueError,
     r"^X must hold at least 1 sample, got shape \(0, 3\)\.$"),
    ({"y": 3}, ValueError, r"^y must hold one target per sample"),
])
def test_fit_names_the_argument_that_is_wrong(kwargs, exc, message):
    with pytest.raises(exc, match=message):
        tiny_fit(**kwargs)


@pytest.mark.parametrize("position, value, message", [
    (0, None, r"^model must be a Module such as Sequential\(\[\.\.\.\]\), got NoneType\.$"),
    (0, [Dense(3, 2)], r"^model must be a Module .* got list\.$"),
    (1, CrossEntropy, r"^loss must be a Loss such as MSE\(\), got type\.$"),
    (2, 0.1, r"^optimizer must be an Optimizer such as SGD\(0\.1\), got float\.$"),
    (3, None, r"^X must be a numeric array, got None\.$"),
    (4, None, r"^y must be an array of targets, got None\.$"),
])
def test_fit_refuses_arguments_of_the_wrong_type(position, value, message):
    args = [Dense(3, 2, rng=0), CrossEntropy(), SGD(0.1), np.zeros((4, 3)),
            np.zeros(4, dtype=int)]
    args[position] = value
    with pytest.raises(TypeError, match=message):
        fit(*args, epochs=1)


@pytest.mark.parametrize("layers, got", [(Dense(2, 2), "Dense"), (None, "NoneType")])
def test_sequential_wants_a_list_of_modules(layers, got):
    with pytest.raises(TypeError, match=rf"^layers must be a list of modules such "
                                        rf"as \[Dense\(2, 4\), ReLU\(\)\], got {got}\.$"):
        Sequential(layers)


def test_mlp_wants_the_activation_class():
    with pytest.raises(TypeError, match=r"^activation must be a Module class such "
                                        r"as ReLU \(not ReLU\(\)\), got ReLU\(\)\.$"):
        from nnbook import mlp
        mlp([2, 3, 1], ReLU())


# --- whole messages, word for word: Dense and Sequential ---------------------------

def test_dense_names_x_for_non_numeric_input():
    with raises_exactly(TypeError, "X must be a numeric array, got dtype <U1."):
        Dense(2, 2).forward(STRINGS)


def test_dense_names_its_input_width_not_its_output_width():
    with raises_exactly(ValueError,
                        "Dense expects input of shape (batch, 3) with 3 "
                        "features, got shape (2, 4)."):
        Dense(3, 5).forward(np.ones((2, 4)))


def test_dense_backward_before_forward():
    with raises_exactly(RuntimeError, "Dense.backward called before forward."):
        Dense(2, 3).backward(np.ones((1, 3)))


def test_an_activation_names_itself_when_grad_out_has_another_shape():
    tanh = Tanh()
    tanh.forward(np.zeros((2, 3)))
    with raises_exactly(ValueError,
                        "Tanh.backward expected grad_out of shape (2, 3) (the "
                        "shape of the forward output), got (3, 2)."):
        tanh.backward(np.zeros((3, 2)))


def test_sequential_without_layers():
    with raises_exactly(ValueError,
                        "Sequential needs at least one layer, got none."):
        Sequential([])


# --- losses ------------------------------------------------------------------------

@pytest.mark.parametrize("make, pred, target, message", [
    (MSE, STRINGS, np.zeros((1, 2)),
     "pred must be a numeric array, got dtype <U1."),
    (MSE, np.zeros((1, 2)), STRINGS,
     "target must be a numeric array, got dtype <U1."),
    (BinaryCrossEntropy, STRINGS, np.zeros((1, 2)),
     "pred must be a numeric array, got dtype <U1."),
    (BinaryCrossEntropy, np.zeros((1, 2)), STRINGS,
     "target must be a numeric array, got dtype <U1."),
    (CrossEntropy, STRINGS, np.zeros((1, 2)),
     "logits must be a numeric array, got dtype <U1."),
    (CrossEntropy, np.zeros((1, 2)), STRINGS,
     "target must be a numeric array, got dtype <U1."),
])
def test_losses_name_the_non_numeric_argument(make, pred, target, message):
    with raises_exactly(TypeError, message):
        make().forward(pred, target)


@pytest.mark.parametrize("make", [MSE, BinaryCrossEntropy, CrossEntropy])
def test_backward_before_forward_on_a_new_loss(make):
    loss = make()                   # made here, so that __init__ is under test
    with raises_exactly(RuntimeError,
                        f"{make.__name__}.backward called before forward."):
        loss.backward()


def test_cross_entropy_p_before_forward():
    with raises_exactly(RuntimeError,
                        "CrossEntropy.backward called before forward."):
        CrossEntropy().p


@pytest.mark.parametrize("target, low, high", [
    ([[0.5], [2.0]], 0.5, 2.0),          # only too large
    ([[-0.5], [0.5]], -0.5, 0.5),        # only too small
    ([[0.5], [1.5]], 0.5, 1.5),          # just above 1
])
def test_bce_target_out_of_range(target, low, high):
    with raises_exactly(ValueError, f"target must be in [0, 1], got values "
                                    f"from {low} to {high}."):
        BinaryCrossEntropy().forward(np.full((2, 1), 0.5), np.array(target))


def test_cross_entropy_one_hot_rows_message_shows_five_rounded_sums():
    y = np.full((6, 2), 0.123456)        # six rows, each summing to 0.246912
    with raises_exactly(ValueError,
                        "one-hot target rows must each sum to 1; got row sums "
                        "[0.2469 0.2469 0.2469 0.2469 0.2469]..."):
        CrossEntropy().forward(np.zeros((6, 2)), y)


def test_cross_entropy_float_labels_are_refused():
    with raises_exactly(TypeError, "1-D target must hold integer class "
                                   "labels, got dtype float64."):
        CrossEntropy().forward(np.zeros((2, 3)), np.array([0.0, 1.0]))


# --- optimizers and fit -------------------------------------------------------------

def test_adam_eps_must_be_positive():
    with raises_exactly(ValueError, "eps must be > 0, got 0."):
        Adam(eps=0)
    with raises_exactly(TypeError, "eps must be a number, got '1e-8'."):
        Adam(eps="1e-8")


@pytest.mark.parametrize("momentum, exc, message", [
    (False, TypeError, "momentum must be a number, got False."),
    ("0.9", TypeError, "momentum must be a number, got '0.9'."),
    (1.0, ValueError, "momentum must be in [0.0, 1.0), got 1.0."),
])
def test_sgd_momentum_is_a_number_in_range(momentum, exc, message):
    with raises_exactly(exc, message):
        SGD(0.1, momentum=momentum)


def test_step_before_backward():
    layer = Dense(2, 2)
    with raises_exactly(RuntimeError,
                        "a gradient is None: call backward before step."):
        SGD(0.1).step(layer.parameters(), layer.gradients())


def _fit(X=None, y=None, **kwargs):
    X = np.zeros((4, 2)) if X is None else X
    y = np.zeros((4, 1)) if y is None else y
    options = {"epochs": 1} | kwargs
    return fit(Dense(2, 1, rng=0), MSE(), SGD(0.1), X, y, **options)


def test_fit_names_verbose():
    with raises_exactly(ValueError, "verbose must be >= 0, got -1."):
        _fit(verbose=-1)


def test_fit_names_x_for_non_numeric_data():
    with raises_exactly(TypeError, "X must be a numeric array, got dtype <U1."):
        _fit(X=np.full((4, 2), "a"))


def test_fit_names_the_validation_arrays():
    with raises_exactly(TypeError,
                        "X_val must be a numeric array, got dtype <U1."):
        _fit(validation_data=(np.full((4, 2), "a"), np.zeros((4, 1))))
    with raises_exactly(ValueError,
                        "X_val and y_val must have the same number of "
                        "samples, got len(X_val) = 4 and len(y_val) = 3."):
        _fit(validation_data=(np.zeros((4, 2)), np.zeros((3, 1))))
    with raises_exactly(ValueError,
                        "y_val contains NaN or infinite values (1 of 4)."):
        _fit(validation_data=(np.zeros((4, 2)),
                              np.array([[0.0], [np.nan], [0.0], [0.0]])))


# --- Value -------------------------------------------------------------------------

def test_value_exponent_must_be_a_number():
    with raises_exactly(TypeError,
                        "the exponent of a Value must be a finite number, got '2'."):
        Value(3.0) ** "2"


@pytest.mark.parametrize("base", [True, "2", 0, -1.5])
def test_a_base_raised_to_a_value_must_be_a_positive_number(base):
    with raises_exactly(ValueError, f"a number raised to a Value needs a base "
                                    f"> 0, got {base!r}."):
        base ** Value(2.0)


def test_module_call_is_forward():
    class Double(Module):
        def forward(self, x):
            return 2 * x

    assert Double()(3) == 6
    X = np.arange(6.0).reshape(3, 2)
    layer = Dense(2, 4, rng=0)
    np.testing.assert_array_equal(layer(X), layer.forward(X))


def test_a_target_missing_its_column_says_how_to_reshape_it():
    with raises_exactly(ValueError, "pred has shape (3, 1) but target has shape "
                                    "(3,). Reshape the target with "
                                    "target.reshape(-1, 1)."):
        MSE().forward(np.zeros((3, 1)), np.zeros(3))


def test_the_optimizer_names_the_gradient_of_the_wrong_shape_or_type():
    W, b = np.zeros((2, 2)), np.zeros(2)
    with raises_exactly(ValueError, "grads[1] must have the shape of params[1], "
                                    "(2,), got list."):
        SGD(0.1).step([W, b], [np.ones((2, 2)), [1.0, 1.0]])
    with raises_exactly(RuntimeError, "a gradient is None: call backward before "
                                      "step."):
        SGD(0.1).step([W, b], [np.ones((2, 2)), None])
    assert not W.any() and not b.any()


def test_fit_names_the_softmax_rule_in_full():
    with raises_exactly(ValueError, "the model ends in a Softmax layer, but "
                                    "CrossEntropy applies softmax itself and "
                                    "takes logits: remove the last Softmax "
                                    "layer (apply nnbook.softmax to the output "
                                    "for probabilities)."):
        tiny_fit_model(Sequential([Dense(3, 2, rng=0), Softmax()]))


class Log(Identity):
    def forward(self, z):
        return np.log(super().forward(z))


def test_a_non_finite_output_on_the_validation_data_is_named():
    layer = Dense(1, 1, rng=0)
    layer.W[...], layer.b[...] = 1.0, 0.0
    X, y = np.ones((4, 1)), np.zeros((4, 1))
    with pytest.raises(ValueError, match=r"^the model's output on the first batch "
                                         r"of X_val is not finite before "
                                         r"training \(invalid "):
        fit(Sequential([layer, Log()]), MSE(), SGD(0.1), X, y, epochs=1,
            validation_data=(-X, y))

