"""neokeras: the Keras API (Keras 2 and Keras 3 spellings) on JAX.

    import neokeras as keras
    model = keras.Sequential([keras.layers.Dense(10, input_dim=4, activation="softmax")])

`import neokeras` imports the foundation below; every other namespace (`layers`, `models`,
`losses`, ...) and name (`Sequential`, `Model`, ...) is imported on first use (`lazy.py`).
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
from neokeras.regularizers import Regularizer  # noqa: F401


def version():
    """The neokeras version string."""
    return __version__


from neokeras.lazy import lazy_namespace as _lazy_namespace  # noqa: E402

__getattr__, __dir__, __all__ = _lazy_namespace(__name__, {
    ".layers": ["Input", "InputSpec", "Layer"],
    ".models": ["Model", "Sequential"],
    ".losses": ["Loss"],
    ".metrics": ["Metric"],
    ".ops.operation_api": ["Function", "Operation"],
    ".optimizers": ["Optimizer"],
    ".quantizers": ["Quantizer"],
    ".drop_in": ["install_as_keras"],
    ".trainers.recompiles": ["RecompileWarning"],
}, submodules=[
    "applications", "callbacks", "datasets", "distillation", "distribution", "experimental",
    "export", "layers", "legacy", "losses", "metrics", "mixed_precision", "models",
    "optimizers", "preprocessing", "quantizers", "saving", "utils", "visualization", "wrappers",
])
# `from neokeras import *` leaves out the namespaces that pull in large or optional packages.
__all__ = [name for name in __all__ if name not in ("applications", "experimental", "wrappers")]
