"""Lazy public namespaces: a package's names are imported the first time they are touched.

`import neokeras` imports only the foundation (config, backend, ops, tree, random, dtype policies,
activations, initializers, regularizers, constraints). Every other public namespace declares
what it exports and from which module; the module behind a name is imported on first access,
through any spelling: `neokeras.layers.Dense`, `from neokeras.layers import Dense`,
`getattr`/`hasattr`, `dir()` (lists every name without importing), `from ... import *`.
Serialized names (`"keras.layers.Dense"` in a `.keras` file) resolve the same way through the
registry index in `api_export`.

This is the one mechanism for lazy namespaces in neokeras: a namespace package calls
`lazy_namespace` once, at its end, instead of importing its members. (Deferred imports of
third-party modules stay in the few functions that need them.)
"""

import importlib
import importlib.util
import sys


def lazy_namespace(package, exports=None, submodules=()):
    """Makes the public names of `package` load on first use (PEP 562).

    Call it at the end of the package's `__init__.py`:

        __getattr__, __dir__, __all__ = lazy_namespace(__name__, {
            ".core.dense": ["Dense"],
            ".pooling": ["MaxPooling2D", "MaxPool2D"],
        }, submodules=["experimental"])

    Args:
        package: The package's `__name__`.
        exports: `{module: names}`: each name is the attribute of the same name in `module`
            (`".core.dense"` is relative to `package`).
        submodules: Submodules of `package` that are public attributes (`"experimental"`):
            listed by `dir()` and `__all__`. Other submodules still load as attributes.

    Returns:
        `(__getattr__, __dir__, __all__)` for the package's namespace. `__all__` lists the lazy
        names, the submodules and the public names the package defines itself.
    """
    namespace = sys.modules[package].__dict__
    where = {}
    for module, names in (exports or {}).items():
        module = importlib.util.resolve_name(module, package)
        for name in names:
            where[name] = module
    submodules = frozenset(submodules)

    def __getattr__(name):
        if name in where:
            value = getattr(importlib.import_module(where[name]), name)
        elif name in submodules or (not name.startswith("__") and
                                    importlib.util.find_spec(f"{package}.{name}") is not None):
            # Any submodule is an attribute, as when the package imported everything at once.
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value  # later lookups no longer come here
        return value

    def __dir__():
        return sorted(set(namespace) | set(where) | submodules)

    own = [name for name in namespace if not name.startswith("_")]
    return __getattr__, __dir__, sorted(set(own) | set(where) | submodules)
