"""`neokeras.ops`: the Keras 3 operations namespace, dispatched to the active backend.

Layers, losses, metrics and optimizers use these functions only, never a backend library.
"""

import functools as _functools

from neokeras.backend import impl as _impl
from neokeras.backend import KerasTensor as _KerasTensor
from neokeras.backend import random as _random  # noqa: F401


# Not graph ops: they describe or move values rather than compute new tensors.
_NOT_SYMBOLIC = {"Variable", "is_tensor", "standardize_dtype", "compute_output_spec", "is_tracer",
                 "eager_scope", "convert_to_numpy", "cond", "scan", "fori_loop", "while_loop",
                 "device_put"}


def _has_keras_tensor(values):
    for value in values:
        if isinstance(value, _KerasTensor):
            return True
        if isinstance(value, (list, tuple)) and _has_keras_tensor(value):
            return True
    return False


def _symbolic_aware(fn, name, family):
    """On `KerasTensor` arguments, records the op as a functional-graph node instead."""

    @_functools.wraps(fn)
    def op(*args, **kwargs):
        if _has_keras_tensor(args) or _has_keras_tensor(kwargs.values()):
            from neokeras.ops.operation import symbolic_op

            return symbolic_op(name, family, args, kwargs)
        return fn(*args, **kwargs)

    return op


def _export(module, family):
    for name in module.__all__:
        fn = getattr(module, name)
        if callable(fn) and not isinstance(fn, type) and name not in _NOT_SYMBOLIC:
            fn = _symbolic_aware(fn, name, family)
        globals()[name] = fn


_export(_impl.core, "core")
_export(_impl.numpy, "numpy")
_export(_impl.nn, "nn")
_export(_impl.conv, "conv")


def normalize(x, axis=-1, order=2, epsilon=None):
    """Scales `x` to unit `order`-norm along `axis`."""
    from neokeras import config

    eps = config.epsilon() if epsilon is None else epsilon
    norm_ = norm(x, ord=order, axis=axis, keepdims=True)  # noqa: F821 (exported above)
    return divide(x, maximum(norm_, eps))  # noqa: F821


def is_symbolic(x):
    """True for a `KerasTensor` (a placeholder in a functional model)."""
    return isinstance(x, _KerasTensor)
