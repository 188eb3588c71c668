"""The module contract, checked on every public module class of nnbook.

The classes and a small instance of each come from ``helpers.MODULES``; a new
``Module`` subclass in nnbook fails ``test_the_registry_lists_every_module``
until it is added there, and then gets every test below.
"""

import numpy as np
import pytest
from helpers import MODULES, SHAPES

import nnbook
from nnbook import MSE, Module, check_gradients

NAMES = {cls.__name__: make for cls, make in MODULES.items()}
CLASSES = {cls.__name__: cls for cls in MODULES}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_the_registry_lists_every_module():
    ours = {cls for cls in _subclasses(Module)
            if cls.__module__.startswith("nnbook.")}
    assert ours == set(MODULES)
    assert all(cls.__name__ in nnbook.__all__ for cls in ours)


def _data(name, dtype=np.float64):
    """An input and a grad_out for the module; (5, 3) unless SHAPES says."""
    x_shape, out_shape = SHAPES.get(CLASSES[name], ((5, 3), (5, 3)))
    rng = np.random.default_rng(4)
    X = rng.standard_normal(x_shape).astype(dtype)
    X[np.abs(X) < 1e-2] += 0.1                    # away from ReLU's kink
    return X, rng.standard_normal(out_shape).astype(dtype)


@pytest.mark.parametrize("name", NAMES)
def test_no_module_changes_its_input_or_grad_out(name):
    X, g = _data(name)
    X_saved, g_saved = X.copy(), g.copy()
    module = NAMES[name](np.float64)
    out = module.forward(X)
    out_saved = out.copy()
    dX = module.backward(g)
    assert np.array_equal(X, X_saved) and np.array_equal(g, g_saved)
    assert np.array_equal(out, out_saved)
    assert np.array_equal(module.backward(g), dX)    # a second time: the same


@pytest.mark.parametrize("name", NAMES)
def test_backward_before_forward_is_refused(name):
    last = "Dense" if name == "Sequential" else name     # its last layer
    with pytest.raises(RuntimeError, match=rf"^{last}\.backward called before "
                                           rf"forward\.$"):
        NAMES[name](np.float64).backward(_data(name)[1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", NAMES)
def test_a_module_keeps_the_dtype(name, dtype):
    X, g = _data(name, dtype)
    module = NAMES[name](dtype)
    assert module.forward(X).dtype == dtype
    assert module.backward(g).dtype == dtype
    assert all(p.dtype == dtype for p in module.parameters())
    assert all(d.dtype == dtype for d in module.gradients())


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-7), (np.float32, 1e-2)])
@pytest.mark.parametrize("name", NAMES)
def test_backward_agrees_with_finite_differences(name, dtype, tol):
    X, Y = _data(name, dtype)
    assert check_gradients(NAMES[name](dtype), MSE(), X, Y) < tol


@pytest.mark.parametrize("name", NAMES)
def test_parameters_and_gradients_come_from_param_names(name):
    module = NAMES[name](np.float64)
    X, g = _data(name)
    module.forward(X)
    module.backward(g)
    if hasattr(module, "layers"):  # Sequential, Residual: the layers' lists
        return                       # joined (test_layers, test_residual)
    assert module.parameters() == [getattr(module, n) for n in module.param_names]
    assert all(g is getattr(module, "d" + n)
               for g, n in zip(module.gradients(), module.param_names))


@pytest.mark.parametrize("name", NAMES)
def test_train_and_eval_set_the_mode_and_return_the_module(name):
    module = NAMES[name](np.float64)
    assert module.training is True
    assert module.eval() is module and module.training is False
    assert module.train() is module and module.training is True
    for layer in getattr(module, "layers", []):
        module.eval()
        assert layer.training is False
