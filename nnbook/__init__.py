"""nnbook: the small NumPy backpropagation engine of the book.

Shapes are batch-first: ``X`` is ``(batch, n_in)``, and a ``Dense`` layer computes
``Z = X @ W + b`` with ``W`` of shape ``(n_in, n_out)`` and ``b`` of shape ``(n_out,)``.
"""

from . import datasets, plotting  # import neither sklearn nor matplotlib yet
from .activations import (Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh,
                          identity, identity_grad, leaky_relu, leaky_relu_grad,
                          relu, relu_grad, sigmoid, sigmoid_grad, softmax,
                          softmax_backward, tanh, tanh_grad)
from .clipping import clip_grad_norm
from .conv import Conv2D
from .dropout import Dropout
from .gradcheck import (check_gradients, gradient_errors, numerical_gradient,
                        relative_error)
from .layers import Dense, init_weights
from .losses import MSE, BinaryCrossEntropy, CrossEntropy, Loss
from .module import Module
from .network import Sequential, mlp
from .normalization import BatchNorm, batchnorm_backward
from .optimizers import SGD, Adam, AdaGrad, AdamW, Optimizer, RMSProp
from .persistence import load_weights, save_weights
from .pooling import Flatten, MaxPool2D
from .residual import Residual
from .schedules import cosine, step_decay, warmup
from .tensor import Tensor
from .training import fit
from .value import Value

__version__ = "0.1.0"

__all__ = [
    "Module", "Dense", "init_weights", "Sequential", "mlp", "BatchNorm",
    "batchnorm_backward", "Conv2D", "MaxPool2D", "Flatten", "Residual",
    "clip_grad_norm", "Dropout", "Identity", "Sigmoid", "Tanh", "ReLU",
    "LeakyReLU", "Softmax", "identity", "identity_grad", "sigmoid",
    "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
    "leaky_relu_grad", "softmax", "softmax_backward", "Loss", "MSE",
    "BinaryCrossEntropy", "CrossEntropy", "Optimizer", "SGD", "Adam", "AdamW",
    "RMSProp", "AdaGrad", "fit", "step_decay", "cosine", "warmup",
    "numerical_gradient", "relative_error", "gradient_errors",
    "check_gradients", "Value", "Tensor", "save_weights", "load_weights",
]
