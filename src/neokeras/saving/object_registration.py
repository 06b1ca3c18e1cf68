"""Custom objects: `register_keras_serializable`, `custom_object_scope`, `get_custom_object`."""

import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_SCOPE = threading.local()


def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function so that files can name it as `"package>name"`.

    Args:
        package: Namespace of the registered name (default `"Custom"`).
        name: Name within the package (default: the object's `__name__`).
    """

    def decorator(obj):
        registered_name = f"{package}>{name or obj.__name__}"
        if registered_name in _GLOBAL_CUSTOM_OBJECTS and _GLOBAL_CUSTOM_OBJECTS[registered_name] is not obj:
            _GLOBAL_CUSTOM_NAMES.pop(_GLOBAL_CUSTOM_OBJECTS[registered_name], None)
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


def get_registered_name(obj):
    """`"package>name"` for a registered object, else its `__name__`."""
    return _GLOBAL_CUSTOM_NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def is_registered(obj):
    return obj in _GLOBAL_CUSTOM_NAMES


class custom_object_scope:
    """Within this `with` block, the given `{name: object}` resolve during deserialization."""

    def __init__(self, custom_objects):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self):
        stack = getattr(_SCOPE, "stack", None)
        if stack is None:
            stack = _SCOPE.stack = []
        stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _SCOPE.stack.pop()


CustomObjectScope = custom_object_scope


def get_custom_objects():
    """The global dict of registered custom objects (mutable, as in Keras)."""
    return _GLOBAL_CUSTOM_OBJECTS


def get_custom_object(name, custom_objects=None):
    """Resolves `name` through `custom_objects`, active scopes, then the global registry."""
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    for scope in reversed(getattr(_SCOPE, "stack", None) or []):
        if name in scope:
            return scope[name]
    return _GLOBAL_CUSTOM_OBJECTS.get(name)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The class or function registered (or passed in) under `name`, or None.

    Args:
        name: The name to look up, e.g. `"Custom>MyLayer"`.
        custom_objects: Optional `{name: object}` searched after the scopes and the registry.
        module_objects: Optional `{name: object}` searched last.
    """
    for scope in reversed(getattr(_SCOPE, "stack", None) or []):
        if name in scope:
            return scope[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def get_scoped_names(custom_objects=None):
    """Names resolvable from `custom_objects` and the active `custom_object_scope`s."""
    names = set(custom_objects or {})
    for scope in getattr(_SCOPE, "stack", None) or []:
        names.update(scope)
    return names
