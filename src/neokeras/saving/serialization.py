"""Keras's JSON schema for objects: `{"module", "class_name", "config", "registered_name"}`.

Names resolve through the public-name registry and registered custom objects only: a file can
never make this module import code or call an arbitrary function. The one exception, a
serialized lambda (`__lambda__`), is refused unless the caller passes `safe_mode=False`.
"""

import base64
import inspect
import marshal
import threading
import types

import numpy as np

from neokeras import api_export
from neokeras.saving import object_registration

# Where Keras 2 (legacy, no "module" key) class names are looked up.
_LEGACY_MODULES = ("keras.layers", "keras.models", "keras.optimizers", "keras.losses",
                   "keras.metrics", "keras.initializers", "keras.regularizers",
                   "keras.constraints", "keras.activations", "keras.optimizers.schedules",
                   "keras")

_STATE = threading.local()


class SafeModeScope:
    """Within this block, nested deserialization uses the given `safe_mode`."""

    def __init__(self, safe_mode=True):
        self.safe_mode = _effective(safe_mode)

    def __enter__(self):
        self._previous = getattr(_STATE, "safe_mode", None)
        _STATE.safe_mode = self.safe_mode
        return self

    def __exit__(self, *exc):
        _STATE.safe_mode = self._previous


def _effective(safe_mode):
    """`safe_mode`, unless `neokeras.config.enable_unsafe_deserialization()` turned it off."""
    from neokeras import config

    return bool(safe_mode) and not config._UNSAFE_DESERIALIZATION


def in_safe_mode():
    """Whether loading code (lambdas) is refused here (True unless a scope says otherwise)."""
    value = getattr(_STATE, "safe_mode", None)
    return _effective(True if value is None else value)


def _public_parts(obj):
    """(module, class_name, registered_name) for a class or function."""
    target = obj if isinstance(obj, type) or callable(obj) and not hasattr(obj, "get_config") else type(obj)
    # A functional subclass instance runs as a hidden subclass of the user's class.
    target = vars(target).get("_functional_origin", target) if isinstance(target, type) else target
    public = api_export.get_registered_name(target)
    if object_registration.is_registered(target):
        module = getattr(target, "__module__", None)
        return (None if module == "__main__" else module), target.__name__, \
            object_registration.get_registered_name(target)
    if public is not None:
        module, _, name = public.rpartition(".")
        # Keras classes without a public name (`Functional`) carry their class name as the
        # registered name, as Keras writes them.
        return module, name, name if module.startswith("keras.src.") else None
    module = getattr(target, "__module__", None)
    # Keras names an unregistered custom class by its class name (it looks custom_objects up
    # by registered_name); plain functions keep None and are written as "function".
    registered = target.__name__ if isinstance(target, type) else None
    return (None if module == "__main__" else module), target.__name__, registered


def serialize_keras_object(obj):
    """Serializes a Keras object (layer, initializer, loss, ...) or plain value to JSON types."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (np.integer, np.floating, np.bool_)):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": str(obj.dtype)}}
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {
            "start": serialize_keras_object(obj.start), "stop": serialize_keras_object(obj.stop),
            "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, type):
        raise TypeError(f"Cannot serialize the class {obj.__name__}; pass an instance.")
    if isinstance(obj, types.LambdaType) and obj.__name__ == "<lambda>":
        code = base64.b64encode(marshal.dumps(obj.__code__)).decode("ascii")
        return {"class_name": "__lambda__", "config": {"value": code}}
    if not hasattr(obj, "get_config"):
        if callable(obj):
            module, name, registered = _public_parts(obj)
            if registered is None and api_export.get_registered_name(obj) is None:
                name = getattr(obj, "__name__", repr(obj))
            return {"module": module, "class_name": "function", "config": name,
                    "registered_name": registered or "function"}
        raise TypeError(f"Cannot serialize object {obj!r} of type {type(obj).__name__}.")
    module, class_name, registered = _public_parts(obj)
    result = {"module": module, "class_name": class_name,
              "config": serialize_keras_object(obj.get_config()), "registered_name": registered}
    build_config = getattr(obj, "get_build_config", lambda: None)()
    if build_config is not None:
        result["build_config"] = serialize_keras_object(build_config)
    compile_config = getattr(obj, "get_compile_config", lambda: None)()
    if compile_config is not None:
        result["compile_config"] = serialize_keras_object(compile_config)
    return result


def resolve(class_name, module=None, registered_name=None, module_objects=None,
            custom_objects=None):
    """Finds the class or function a serialized entry names, or None (never imports)."""
    for name in (registered_name, class_name):
        if name:
            found = object_registration.get_custom_object(name, custom_objects)
            if found is not None:
                return found
    if not isinstance(class_name, str):
        return None
    if module and module.startswith("keras"):
        found = api_export.get_registered_object(f"{module}.{class_name}")
        if found is not None:
            return found
    if module_objects and class_name in module_objects:
        return module_objects[class_name]
    for legacy_module in _LEGACY_MODULES:
        found = api_export.get_registered_object(f"{legacy_module}.{class_name}")
        if found is not None:
            return found
    return None


def get_by_name(name, functions, classes, kind):
    """Resolves a family member by name: a function, a class (instantiated with defaults), or a
    registered custom object. Raises a ValueError listing the known names otherwise.

    Args:
        name: The identifier, e.g. `"mse"` or `"BinaryCrossentropy"`.
        functions: Dict of the family's functions by name.
        classes: Dict of the family's classes by name.
        kind: The family's name for the error message (`"loss"`, `"metric"`).
    """
    if name in functions:
        return functions[name]
    if name in classes:
        return classes[name]()
    found = object_registration.get_custom_object(name)
    if found is None:
        plural = kind + ("es" if kind.endswith("s") else "s")
        similar = sorted(n for n in object_registration.get_custom_objects()
                         if n.rpartition(">")[2] == name)
        hint = (f" Registered custom objects are named with their package: did you mean "
                f"{similar}?" if similar else
                f" For your own {kind}, register it with "
                "@neokeras.saving.register_keras_serializable() (then use 'Custom>name') or put "
                f"it in neokeras.saving.get_custom_objects()[{name!r}].")
        raise ValueError(
            # Keras's wording first: libraries match on it (scikeras).
            f"Could not interpret {kind} identifier: {name}. Unknown {kind} {name!r}. "
            f"Known {plural}: {sorted(functions) + sorted(classes)}."
            + hint)
    # A registered class (a Loss or Metric subclass) is used with its default arguments.
    return found() if isinstance(found, type) else found


def deserialize_keras_object(config, module_objects=None, custom_objects=None, safe_mode=None):
    """Rebuilds an object from `serialize_keras_object` output (or a Keras 2 style dict).

    Args:
        config: The serialized form (dict, name string, list or plain value).
        module_objects: Extra `{name: object}` to resolve plain names against.
        custom_objects: `{name: class_or_function}` for custom objects.
        safe_mode: Refuse serialized lambdas (default: True, or the enclosing scope's value).
    """
    safe_mode = in_safe_mode() if safe_mode is None else _effective(safe_mode)
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        found = resolve(config, module_objects=module_objects, custom_objects=custom_objects)
        if found is None:
            raise ValueError(_unknown_message(config, None, module_objects, custom_objects))
        return found
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, module_objects, custom_objects, safe_mode) for c in config]
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Cannot deserialize {config!r}: expected a dict with a 'class_name'.")
    class_name = config["class_name"]
    inner = config.get("config", {})
    if class_name == "__numpy__":
        return np.asarray(inner["value"], dtype=_plain_dtype(inner.get("dtype")))
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__slice__":
        return slice(inner.get("start"), inner.get("stop"), inner.get("step"))
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__lambda__":
        if safe_mode:
            raise ValueError(
                "This file contains Python code (a lambda). Loading it could run arbitrary code, "
                "so it is refused; pass safe_mode=False to load_model if you trust the file.")
        code = marshal.loads(base64.b64decode(inner["value"]))
        return types.FunctionType(code, globals())
    if not isinstance(class_name, str):
        raise ValueError(f"Cannot deserialize {config!r}: 'class_name' must be a string.")
    if class_name == "function":
        name = inner
        registered = config.get("registered_name")
        found = resolve(name, config.get("module"), registered if registered != "function" else None,
                        module_objects, custom_objects)
        if found is None:
            raise ValueError(_unknown_message(name, config.get("module"), module_objects,
                                              custom_objects, kind="function"))
        return found
    cls = resolve(class_name, config.get("module"), config.get("registered_name"),
                  module_objects, custom_objects)
    if cls is None:
        raise ValueError(_unknown_message(config.get("registered_name") or class_name,
                                          config.get("module"), module_objects, custom_objects))
    if not hasattr(cls, "from_config") and not isinstance(cls, type):
        raise ValueError(f"{class_name!r} names a function, not a class; cannot build it from a config.")
    with SafeModeScope(safe_mode), object_registration.custom_object_scope(custom_objects):
        instance = _from_config(cls, inner, custom_objects, safe_mode)
        build_config = config.get("build_config")
        if build_config and hasattr(instance, "build_from_config") \
                and not getattr(instance, "built", False):
            instance.build_from_config(build_config)
        compile_config = config.get("compile_config")
        if compile_config and hasattr(instance, "compile"):
            from neokeras.saving.saving_lib import compile_from_config

            compile_from_config(instance, compile_config)
    return instance


def _plain_dtype(name):
    """A numpy dtype from a config: plain numbers, bools and strings only (a structured or
    sub-array dtype such as `"(100000,100000)f8"` would allocate per element)."""
    try:
        dtype = np.dtype(name)
    except (TypeError, ValueError) as error:
        raise ValueError(f"Unknown array dtype {name!r} in the config ({error}).") from None
    if dtype.fields is not None or dtype.subdtype is not None or dtype.kind not in "biufcUS" \
            or dtype.itemsize > 1024:
        raise ValueError(f"Refusing array dtype {name!r} in the config: only plain number, "
                         "bool and string dtypes are allowed.")
    return dtype


def _from_config(cls, inner, custom_objects, safe_mode):
    if not hasattr(cls, "from_config"):
        return cls(**inner)
    try:
        parameters = inspect.signature(cls.from_config).parameters
    except (TypeError, ValueError):
        parameters = {}
    kwargs = {}
    if "custom_objects" in parameters:
        kwargs["custom_objects"] = custom_objects
    if "safe_mode" in parameters:
        kwargs["safe_mode"] = safe_mode
    return cls.from_config(inner, **kwargs)


def _unknown_message(name, module, module_objects, custom_objects, kind="class"):
    package, _, short = str(name).rpartition(">")
    registered = sorted(object_registration.get_custom_objects())
    scoped = sorted(object_registration.get_scoped_names(custom_objects))
    known = sorted(module_objects) if module_objects else []
    lines = [f"Unknown {kind} {name!r}" + (f" (module {module!r})" if module else "") + "."]
    if known:
        lines.append(f"Known names here: {known}.")
    lines.append(f"Registered custom objects: {registered or 'none'}"
                 + (f"; passed in custom_objects: {scoped}." if scoped else "."))
    decorator = (f'@neokeras.saving.register_keras_serializable(package="{package}", '
                 f'name="{short}")' if package else "@neokeras.saving.register_keras_serializable()")
    lines.append(f"If it is your own {kind}, define it and add `{decorator}` above it, or pass "
                 f"custom_objects={{{short!r}: ...}} when loading. neokeras never imports modules "
                 "named in a file.")
    return " ".join(lines)
