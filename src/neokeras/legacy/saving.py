"""Keras 2 style serialization: `{"class_name": ..., "config": ...}` without `module` or
`registered_name` (`keras.legacy.saving`, also `keras.utils.legacy`).

Names resolve only through the custom-object scopes, the registry of custom objects,
`custom_objects` and the caller's `module_objects`: nothing is imported, and a config cannot
make this module run code (a serialized lambda inside a layer config is still refused by that
layer unless unsafe deserialization was enabled).
"""

import inspect

from neokeras.saving import object_registration

# Marks a config entry that `serialize_keras_object` turned from an object into a dict, so that
# deserialization knows to rebuild it.
_PASSIVE_KEY = "__passive_serialization__"


def serialize_keras_object(instance):
    """The Keras 2 JSON form of an object: `{"class_name", "config"}` for objects with a
    `get_config` (object-valued config entries serialized the same way), the registered name
    for functions and classes, None for None.

    Raises:
        ValueError: for an object with neither `get_config` nor a `__name__`.
    """
    instance = inspect.unwrap(instance)
    if instance is None:
        return None
    if hasattr(instance, "get_config"):
        config = {}
        for key, item in instance.get_config().items():
            if isinstance(item, str):
                config[key] = item
                continue
            try:
                serialized = serialize_keras_object(item)
            except ValueError:  # plain values (numbers, lists, dicts) stay as they are
                config[key] = item
                continue
            if isinstance(serialized, dict) and not isinstance(item, dict):
                serialized[_PASSIVE_KEY] = True
            config[key] = serialized
        return {"class_name": object_registration.get_registered_name(type(instance)),
                "config": config}
    if hasattr(instance, "__name__"):
        return object_registration.get_registered_name(instance)
    raise ValueError(f"Cannot serialize {instance} because it doesn't implement "
                     "`get_config()`.")


def deserialize_keras_object(identifier, module_objects=None, custom_objects=None,
                             printable_module_name="object"):
    """Rebuilds an object from its Keras 2 JSON form.

    Built-in objects are found only through `module_objects` (e.g. `{"Dense": Dense}`), as in
    Keras; `keras.layers.deserialize` and the like already know theirs.

    Args:
        identifier: A `{"class_name", "config"}` dict, a name, or a function (returned as is).
        module_objects: `{name: class_or_function}` of built-in objects to look names up in.
        custom_objects: `{name: class_or_function}` of the user's objects.
        printable_module_name: What kind of object this is, for error messages.

    Returns:
        The object; a class given by name is instantiated with no arguments.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        cls, config = _class_and_config(identifier, module_objects, custom_objects,
                                        printable_module_name)
        custom_objects = custom_objects or {}
        if not hasattr(cls, "from_config"):
            with object_registration.custom_object_scope(custom_objects):
                return cls(**config)
        if "custom_objects" in inspect.signature(cls.from_config).parameters:
            merged = {**object_registration.get_custom_objects(), **custom_objects}
            return cls.from_config(config, custom_objects=merged)
        with object_registration.custom_object_scope(custom_objects):
            return cls.from_config(config)
    if isinstance(identifier, str):
        found = _lookup(identifier, custom_objects, module_objects)
        if found is None:
            raise ValueError(_unknown(printable_module_name, identifier))
        return found() if inspect.isclass(found) else found
    if inspect.isfunction(identifier):
        return identifier
    raise ValueError(f"Could not interpret serialized {printable_module_name}: {identifier}")


def _lookup(name, custom_objects, module_objects):
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return object_registration.get_registered_object(name, None, module_objects)


def _unknown(kind, name):
    return (f"Unknown {kind}: '{name}'. Please ensure you are using a "
            "`keras.utils.custom_object_scope` and that this object is included in the scope, "
            "or pass it in `custom_objects` (built-in objects: in `module_objects`).")


def _class_and_config(config, module_objects, custom_objects, printable_module_name):
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise ValueError(f"Improper config format for {config}. Expecting python dict contains "
                         "`class_name` and `config` as keys")
    class_name = config["class_name"]
    cls = object_registration.get_registered_object(class_name, custom_objects, module_objects)
    if cls is None:
        raise ValueError(_unknown(printable_module_name, class_name))
    inner = config["config"]
    if isinstance(inner, list):  # Keras 2.0 Sequential: the list of its layers
        return cls, inner
    if not isinstance(inner, dict):
        raise ValueError(f"Improper config format for {config}: 'config' must be a dict or a "
                         f"list. Received: {type(inner).__name__}")
    # As Keras does, the entries are replaced in the caller's dict.
    for key, item in list(inner.items()):
        if key == "name":  # a name is never a function, even if one is called that
            continue
        if isinstance(item, dict) and _PASSIVE_KEY in item:
            inner[key] = deserialize_keras_object(item, module_objects, custom_objects,
                                                  "config_item")
        elif isinstance(item, str):
            found = object_registration.get_registered_object(item, custom_objects,
                                                              module_objects)
            if inspect.isfunction(found):
                inner[key] = found
    return cls, inner
