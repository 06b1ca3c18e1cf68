"""The key of a model's compiled `fit`/`evaluate` programs across processes, or None.

The backend stores compiled chunk programs on disk (`backend.jax.executable_cache`) under this
key plus the arguments' shapes and the environment. A stored program must never run where a
fresh trace would give another one, so the key is only given for models made entirely of
neokeras's own pieces, whose programs follow from their configuration: a `Sequential` or
functional model (no subclass), built-in layers (no `Lambda`, no wrapped JAX/Flax function, no
preprocessing layer), built-in optimizer, losses and metrics given by name, as neokeras
functions or as neokeras objects, no Python function or object of another package held by
any of them, and no user function patched into neokeras's classes or modules. Anything else
gives None (the program is traced as usual), and so does a run under a `keras.distribution`.

The key covers the model's serialized configuration (layers, graph, dtype policies,
trainability), every layer's plain attributes and held arrays, the variables' paths, shapes,
dtypes and trainability, the compile arguments with the resolved optimizer's configuration,
neokeras's global settings and the chunk's kind.
"""

import functools
import hashlib
import json
import types

import numpy as np

from neokeras import config
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.trainers import distributed

# Layers that run user code or data the configuration does not pin down.
_OPAQUE_MODULES = ("neokeras.layers.core.lambda_layer", "neokeras.layers.core.jax_layer",
                   "neokeras.layers.preprocessing", "neokeras.wrappers", "neokeras.legacy")
_PLAIN = (str, int, float, bool, type(None), bytes, np.integer, np.floating, np.bool_)
_FOREIGN_OK = ("builtins", "numpy", "jax", "jaxlib", "weakref", "collections", "threading",
               "_thread")
_MAX_ARRAY_BYTES = 1 << 20


class _Opaque(Exception):
    """Something the key cannot vouch for."""


def program_key(model, mode):
    """The key text of `model`'s `mode` (`"train"` or `"test"`) chunk program, or None."""
    from neokeras.models.functional import Functional
    from neokeras.models.sequential import Sequential

    if type(model) not in (Sequential, Functional) or distributed.current() is not None:
        return None
    try:
        _check_classes(model)
        _check_module_functions()
        parts = {
            "mode": mode,
            "model": _model_config(model),
            "layers": [_layer_state(layer) for layer in model._flatten_layers()],
            "variables": [_variable(v) for v in model.variables],
            "optimizer_variables": [_variable(v) for v in model._state_optimizer_variables],
            "metrics_variables": [_variable(v) for v in model.metrics_variables],
            "compile": {name: _spec(value) for name, value in
                        sorted((model._compile_config or {}).items())},
            "optimizer": _object(model.optimizer) if model.optimizer is not None else None,
            "run_eagerly": bool(model.run_eagerly), "jit_compile": repr(model.jit_compile),
            "steps_per_execution": model.steps_per_execution,
            "settings": _settings(),
        }
        text = json.dumps(parts, sort_keys=True, default=_refuse)
    except Exception:  # noqa: BLE001  (`_Opaque`, or a configuration that cannot be serialized)
        return None
    return hashlib.sha256(text.encode()).hexdigest()


def _check_classes(model):
    """Refuses a model whose layers', optimizer's, losses' or metrics' classes have a method
    that is not neokeras's own (one patched in by user code)."""
    objects = list(model._flatten_layers()) + [model.optimizer] + list(model.metrics)
    if model._compile_loss is not None:
        objects += [loss for _, loss, _ in model._compile_loss.per_output]
    for cls in {type(obj) for obj in objects if obj is not None}:
        for base in cls.__mro__[:-1]:
            for name, value in vars(base).items():
                function = getattr(value, "__func__", value)
                if isinstance(function, types.FunctionType) and not _is_module_of_neokeras(
                        function.__module__):
                    raise _Opaque(f"{base.__name__}.{name}")


def _check_module_functions():
    """Refuses when a function of user code was assigned into one of neokeras's modules (an
    operation swapped for another version of it): neokeras's modules only hold their own
    functions and those of installed packages and the standard library."""
    import sys

    for name, module in list(sys.modules.items()):
        if not _is_module_of_neokeras(name) or module is None:
            continue
        for value in vars(module).values():
            if isinstance(value, types.FunctionType) and not value.__code__.co_filename.startswith(
                    _installed_code()):
                raise _Opaque(f"{name}.{value.__name__}")


@functools.lru_cache(maxsize=None)
def _installed_code():
    """The folders of neokeras's, the standard library's and installed packages' code."""
    import os
    import sysconfig

    import neokeras

    paths = sysconfig.get_paths()
    folders = {os.path.dirname(os.path.abspath(neokeras.__file__))}
    folders |= {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
    return tuple(os.path.join(os.path.realpath(f), "") for f in folders) + tuple(
        os.path.join(f, "") for f in folders)


def _is_module_of_neokeras(module):
    return module is not None and (module == "neokeras" or module.startswith("neokeras."))


def _refuse(value):
    raise _Opaque(type(value).__name__)


def _model_config(model):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(model)


def _settings():
    from neokeras.dtype_policies.dtype_policy import dtype_policy

    return [config.floatx(), config.epsilon(), config.image_data_format(), config.backend(),
            config.is_flash_attention_enabled(), dtype_policy().name]


def _variable(variable):
    return [variable.path, list(variable.shape), str(variable.dtype), bool(variable.trainable)]


def _is_neokeras(cls):
    return cls.__module__ == "neokeras" or cls.__module__.startswith("neokeras.")


def _layer_state(layer):
    """The class of `layer`, its plain attributes (model attributes are only its class: its
    configuration covers it, and `fit`'s bookkeeping changes between runs), and what its other
    attributes hold (`_held`)."""
    from neokeras.trainers.trainer import Trainer

    cls = type(layer)
    if not _is_neokeras(cls) or cls.__module__.startswith(_OPAQUE_MODULES):
        raise _Opaque(cls.__name__)
    state = {"class": f"{cls.__module__}.{cls.__qualname__}"}
    if isinstance(layer, Trainer):
        return state
    seen = {id(layer)}
    for name, value in sorted(vars(layer).items()):
        state[name] = _held(value, seen, 3)
    return state


def _held(value, seen, depth):
    """A JSON-able description of an attribute's value; raises `_Opaque` for a function or an
    object that is not neokeras's (or plain data)."""
    from neokeras.backend.common.variables import KerasVariable as Variable
    from neokeras.initializers import Initializer
    from neokeras.layers.layer import Layer
    from neokeras.layers.node import Node

    if isinstance(value, _PLAIN):
        return value.item() if isinstance(value, np.generic) else (
            value.hex() if isinstance(value, bytes) else value)
    if isinstance(value, (Layer, Variable, KerasTensor, Node)):
        return type(value).__name__  # walked on their own, or in the configuration's graph
    if id(value) in seen or depth == 0:
        return "..."
    seen = seen | {id(value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_held(item, seen, depth - 1) for item in items]
    if isinstance(value, dict):
        return [[_dict_key(k), _held(v, seen, depth - 1)] for k, v in value.items()]
    if isinstance(value, functools.partial):
        return ["partial", _function(value.func), _held(list(value.args), seen, depth - 1),
                _held(value.keywords, seen, depth - 1)]
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return _function(value)
    if hasattr(value, "__array__") and hasattr(value, "dtype") and hasattr(value, "shape"):
        array = np.asarray(value)
        if array.nbytes > _MAX_ARRAY_BYTES or array.dtype == object:
            raise _Opaque("a large array")
        return [list(array.shape), str(array.dtype), hashlib.sha256(array.tobytes()).hexdigest()]
    cls = type(value)
    if isinstance(value, Initializer):
        # Initializers run when variables are made, not in a step; a seed drawn for one
        # (`seed=None`) changes from run to run, the configuration keeps what was given.
        return [f"{cls.__module__}.{cls.__qualname__}", _held(value.get_config(), seen, depth)]
    if _is_neokeras(cls):
        attributes = vars(value) if hasattr(value, "__dict__") else {}
        return [f"{cls.__module__}.{cls.__qualname__}",
                [[k, _held(v, seen, depth - 1)] for k, v in sorted(attributes.items())]]
    if cls.__module__.split(".")[0] in _FOREIGN_OK and not callable(value):
        return f"{cls.__module__}.{cls.__qualname__}"
    raise _Opaque(cls.__name__)


def _dict_key(key):
    # Objects' ids (an optimizer's index of its variables) differ from run to run.
    return "an id" if isinstance(key, int) and abs(key) > 2**32 else repr(key)


def _function(fn):
    bound = getattr(fn, "__self__", None)
    if isinstance(fn, types.MethodType) and not _is_neokeras(type(bound)):
        raise _Opaque("a method of a user object")
    module = getattr(fn, "__module__", None) or ""
    name = getattr(fn, "__qualname__", "")
    if not (module == "neokeras" or module.startswith("neokeras.")) or "<" in name:
        raise _Opaque(f"the function {name}")
    return f"{module}.{name}"


def _spec(value):
    """A compile argument (a name, number, function, neokeras object, or a list or dict of
    these) as JSON."""
    if isinstance(value, _PLAIN):
        return _held(value, set(), 1)
    if isinstance(value, (list, tuple)):
        return [_spec(v) for v in value]
    if isinstance(value, dict):
        return [[repr(k), _spec(v)] for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))]
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, functools.partial)):
        return _held(value, set(), 3)
    return _object(value)


def _object(value):
    """A neokeras loss, metric or optimizer: its class, configuration and held attributes."""
    cls = type(value)
    if not _is_neokeras(cls):
        raise _Opaque(cls.__name__)
    get_config = getattr(value, "get_config", None)
    return [f"{cls.__module__}.{cls.__qualname__}", get_config() if get_config else None,
            _held(value, set(), 4)]
