"""`neokeras.ops`: the Keras 3 operations namespace, dispatched to the active backend.

Layers, losses, metrics and optimizers use these functions only, never a backend library.
"""

from neokeras.backend import impl as _impl
from neokeras.backend import KerasTensor as _KerasTensor
from neokeras.backend import random as _random  # noqa: F401


def _export(module):
    for name in module.__all__:
        globals()[name] = getattr(module, name)


_export(_impl.core)
_export(_impl.numpy)
_export(_impl.nn)
_export(_impl.conv)


def normalize(x, axis=-1, order=2, epsilon=None):
    """Scales `x` to unit `order`-norm along `axis`."""
    from neokeras import config

    eps = config.epsilon() if epsilon is None else epsilon
    norm_ = norm(x, ord=order, axis=axis, keepdims=True)  # noqa: F821 (exported above)
    return divide(x, maximum(norm_, eps))  # noqa: F821


def is_symbolic(x):
    """True for a `KerasTensor` (a placeholder in a functional model)."""
    return isinstance(x, _KerasTensor)
