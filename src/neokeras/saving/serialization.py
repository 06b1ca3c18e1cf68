"""Keras's JSON schema for objects: `{"module", "class_name", "config", "registered_name"}`.

Names resolve through the public-name registry and registered custom objects only: a file can
never make this module import code or call an arbitrary function.
"""

import numpy as np

from neokeras import api_export
from neokeras.saving import object_registration

# Where Keras 2 (legacy, no "module" key) class names are looked up.
_LEGACY_MODULES = ("keras.layers", "keras.models", "keras.optimizers", "keras.losses",
                   "keras.metrics", "keras.initializers", "keras.regularizers",
                   "keras.constraints", "keras.activations", "keras.optimizers.schedules",
                   "keras")


def _public_parts(obj):
    """(module, class_name, registered_name) for a class or function."""
    target = obj if isinstance(obj, type) or callable(obj) and not hasattr(obj, "get_config") else type(obj)
    public = api_export.get_registered_name(target)
    if object_registration.is_registered(target):
        return None, target.__name__, object_registration.get_registered_name(target)
    if public is not None:
        module, _, name = public.rpartition(".")
        return module, name, None
    return getattr(target, "__module__", None), target.__name__, None


def serialize_keras_object(obj):
    """Serializes a Keras object (layer, initializer, loss, ...) or plain value to JSON types."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (np.integer, np.floating)):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": str(obj.dtype)}}
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(x) for x in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, type):
        raise TypeError(f"Cannot serialize the class {obj.__name__}; pass an instance.")
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
    return result


def resolve(class_name, module=None, registered_name=None, module_objects=None,
            custom_objects=None):
    """Finds the class or function a serialized entry names, or None."""
    for name in (registered_name, class_name):
        if name:
            found = object_registration.get_custom_object(name, custom_objects)
            if found is not None:
                return found
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


def deserialize_keras_object(config, module_objects=None, custom_objects=None, safe_mode=True):
    """Rebuilds an object from `serialize_keras_object` output (or a Keras 2 style dict)."""
    if config is None or isinstance(config, (bool, int, float)):
        return config
    if isinstance(config, str):
        found = resolve(config, module_objects=module_objects, custom_objects=custom_objects)
        if found is None:
            raise ValueError(_unknown_message(config, module_objects))
        return found
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(c, module_objects, custom_objects, safe_mode) for c in config]
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Cannot deserialize {config!r}: expected a dict with a 'class_name'.")
    class_name = config["class_name"]
    if class_name == "__numpy__":
        inner = config["config"]
        return np.asarray(inner["value"], dtype=inner["dtype"])
    if class_name == "__lambda__":
        raise ValueError(
            "This file contains Python code (a lambda). Loading it could run arbitrary code, "
            "so it is refused; pass safe_mode=False to load_model if you trust the file."
        )
    if class_name == "function":
        name = config["config"]
        registered = config.get("registered_name")
        found = resolve(name, config.get("module"), registered if registered != "function" else None,
                        module_objects, custom_objects)
        if found is None:
            raise ValueError(_unknown_message(name, module_objects))
        return found
    cls = resolve(class_name, config.get("module"), config.get("registered_name"),
                  module_objects, custom_objects)
    if cls is None:
        raise ValueError(_unknown_message(config.get("registered_name") or class_name, module_objects))
    inner = config.get("config", {})
    instance = cls.from_config(inner) if hasattr(cls, "from_config") else cls(**inner)
    build_config = config.get("build_config")
    if build_config and hasattr(instance, "build_from_config"):
        instance.build_from_config(build_config)
    return instance


def _unknown_message(name, module_objects):
    known = sorted(module_objects) if module_objects else []
    hint = f" Known names here: {known}." if known else ""
    return (
        f"Unknown object {name!r}.{hint} If it is a custom class or function, decorate it with "
        "`@neokeras.saving.register_keras_serializable()` or pass it in "
        f"`custom_objects={{{name!r}: ...}}`."
    )
