"""`neokeras.ops`: the Keras 3 operations namespace, dispatched to the active backend.

Layers, losses, metrics and optimizers use these functions only, never a backend library.
Every op accepts `KerasTensor`s too: then it records a node of a functional model instead of
computing (its output spec comes from abstract evaluation of the backend function).
The submodules `ops.numpy`, `ops.nn`, `ops.linalg` and `ops.image` hold the same functions,
grouped as Keras groups them.
"""

import functools as _functools

from neokeras.backend import impl as _impl
from neokeras.backend import KerasTensor as _KerasTensor
from neokeras.backend import random as _random  # noqa: F401
from neokeras.ops import _errors
from neokeras.ops import einops as _einops

# Not graph ops: they describe or move values, or return functions, rather than compute tensors.
_NOT_SYMBOLIC = {"Variable", "is_tensor", "standardize_dtype", "compute_output_spec", "is_tracer",
                 "eager_scope", "convert_to_numpy", "device_put", "custom_gradient", "vectorize",
                 "jvp"}
# Ops whose arguments include user functions: errors raised inside those are the user's own.
_TAKES_FUNCTIONS = {"cond", "switch", "scan", "associative_scan", "map", "fori_loop",
                    "while_loop", "vectorized_map", "custom_gradient", "vectorize", "jvp"}


def _has_keras_tensor(values):
    for value in values:
        if isinstance(value, _KerasTensor):
            return True
        if isinstance(value, (list, tuple)) and _has_keras_tensor(value):
            return True
        if isinstance(value, dict) and _has_keras_tensor(value.values()):
            return True
    return False


def _op(fn, name, family):
    """`fn` made symbolic-aware, with errors that name the op and its arguments."""
    symbolic = name not in _NOT_SYMBOLIC
    explain = name not in _TAKES_FUNCTIONS

    @_functools.wraps(fn)
    def op(*args, **kwargs):
        if symbolic and (_has_keras_tensor(args) or _has_keras_tensor(kwargs.values())):
            from neokeras.ops.operation import symbolic_op

            return symbolic_op(name, family, args, kwargs)
        if not explain:
            return fn(*args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except (TypeError, ValueError, IndexError) as error:
            clearer = _errors.explain(name, error, args, kwargs)
            if clearer is None:
                raise
            raise clearer from None

    op.__module__ = f"neokeras.ops.{family}"
    return op


_FAMILIES = {}


def _export(module, family, public=True):
    for name in module.__all__:
        fn = getattr(module, name)
        if callable(fn) and not isinstance(fn, type):
            fn = _op(fn, name, family)
        _FAMILIES.setdefault(family, {})[name] = fn
        if public:
            globals()[name] = fn


_export(_impl.core, "core")
_export(_impl.control_flow, "core")
_export(_impl.indexing, "core")
_export(_impl.numpy, "numpy")
_export(_impl.math, "math")
_export(_impl.linalg, "linalg")
_export(_impl.nn, "nn")
_export(_impl.conv, "nn")
_export(_impl.image, "image", public=False)
_export(_einops, "einops")


def is_symbolic(x):
    """True for a `KerasTensor` (a placeholder in a functional model)."""
    return isinstance(x, _KerasTensor)


def family_function(family, name):
    """The public op `name` of a family (`"image"`, `"numpy"`, ...), or None."""
    return _FAMILIES.get(family, {}).get(name)


from neokeras.ops import image, linalg, nn, numpy  # noqa: E402,F401  (the Keras submodules)
