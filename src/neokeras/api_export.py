"""The registry of public names: one decorator gives a class or function its Keras identity.

`@keras_name("keras.layers.Dense")` records that the object is written to files as
`{"module": "keras.layers", "class_name": "Dense"}` and that this pair resolves back to it. Loading
a file resolves names through this registry only, never by importing modules.
"""

_NAME_TO_OBJECT = {}
_OBJECT_TO_NAME = {}


def keras_name(*names):
    """Registers an object under one or more public Keras names (`"keras.layers.Dense"`).

    The first name is the one written to files; the others are aliases that also resolve.
    """

    def register(obj):
        for name in names:
            _NAME_TO_OBJECT[name] = obj
        _OBJECT_TO_NAME.setdefault(obj, names[0])
        return obj

    return register


def get_registered_object(name):
    """Returns the object registered under the full public name, or None."""
    return _NAME_TO_OBJECT.get(name)


def get_registered_name(obj):
    """Returns the first public name of `obj` (e.g. `"keras.layers.Dense"`), or None."""
    return _OBJECT_TO_NAME.get(obj)


def registered_names(prefix):
    """Lists the short names registered under a module prefix, e.g. `"keras.optimizers"`."""
    start = prefix + "."
    return sorted({n[len(start):] for n in _NAME_TO_OBJECT if n.startswith(start) and "." not in n[len(start):]})
