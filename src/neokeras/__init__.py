"""neokeras: the Keras API (Keras 2 and Keras 3 spellings) on JAX.

    import neokeras as keras
    model = keras.Sequential([keras.layers.Dense(10, input_dim=4, activation="softmax")])
"""

__version__ = "0.1.0"

from neokeras import config  # noqa: F401
from neokeras import dtype_policies  # noqa: F401
from neokeras import backend  # noqa: F401
from neokeras import ops  # noqa: F401
from neokeras import random  # noqa: F401
from neokeras import tree  # noqa: F401
from neokeras import activations  # noqa: F401
from neokeras import constraints  # noqa: F401
from neokeras import initializers  # noqa: F401
from neokeras import regularizers  # noqa: F401
from neokeras import losses  # noqa: F401
from neokeras import metrics  # noqa: F401
from neokeras import optimizers  # noqa: F401
from neokeras import layers  # noqa: F401
from neokeras import callbacks  # noqa: F401
from neokeras import distillation  # noqa: F401
from neokeras import models  # noqa: F401
from neokeras import saving  # noqa: F401
from neokeras import export  # noqa: F401
from neokeras import utils  # noqa: F401
from neokeras import mixed_precision  # noqa: F401
from neokeras import quantizers  # noqa: F401
from neokeras import datasets  # noqa: F401
from neokeras import distribution  # noqa: F401
from neokeras import visualization  # noqa: F401
from neokeras import legacy  # noqa: F401
from neokeras.layers import Input  # noqa: F401
from neokeras.layers import Layer  # noqa: F401
from neokeras.models import Model  # noqa: F401
from neokeras.models import Sequential  # noqa: F401
from neokeras.drop_in import install_as_keras  # noqa: F401
from neokeras.trainers.recompiles import RecompileWarning  # noqa: F401
from neokeras.backend import Variable  # noqa: F401
from neokeras.backend.common.stateless_scope import StatelessScope  # noqa: F401
from neokeras.backend.common.device import device  # noqa: F401
from neokeras.backend.common.keras_tensor import KerasTensor  # noqa: F401
from neokeras.backend.common.name_scope import name_scope  # noqa: F401
from neokeras.backend.common.remat import RematScope  # noqa: F401
from neokeras.backend.common.remat import remat  # noqa: F401
from neokeras.backend.common.symbolic_scope import SymbolicScope  # noqa: F401
from neokeras.dtype_policies import DTypePolicy  # noqa: F401
from neokeras.dtype_policies import FloatDTypePolicy  # noqa: F401
from neokeras.initializers import Initializer  # noqa: F401
from neokeras.layers import InputSpec  # noqa: F401
from neokeras.losses import Loss  # noqa: F401
from neokeras.metrics import Metric  # noqa: F401
from neokeras.ops.operation_api import Function  # noqa: F401
from neokeras.ops.operation_api import Operation  # noqa: F401
from neokeras.optimizers import Optimizer  # noqa: F401
from neokeras.quantizers import Quantizer  # noqa: F401
from neokeras.regularizers import Regularizer  # noqa: F401


# `keras.applications` (dozens of model builders) loads on first use, keeping `import neokeras`
# fast; `wrappers` imports scikit-learn, so it too waits until asked for; so does tf-keras's
# `experimental` (premade models).
_LAZY_SUBMODULES = ("applications", "experimental", "wrappers")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"neokeras.{name}")
    raise AttributeError(f"module 'neokeras' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_SUBMODULES))


def version():
    """The neokeras version string."""
    return __version__
