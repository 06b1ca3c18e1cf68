"""Running unedited Keras programs on neokeras: `import keras` resolves to neokeras, on request.

Nothing happens on `import neokeras`: a program (or a library it imports) gets neokeras for
`keras` only after one of the explicit opt-ins below, so with no opt-in `import keras` is real
Keras wherever that is installed.

- `neokeras.install_as_keras()`, called before anything imports `keras` (first thing in a script,
  or from a `sitecustomize.py`);
- `python -m neokeras run script.py args...`, which does that and runs the script as `__main__`.

Under the drop-in, `keras.X` is the module `neokeras.X` and `keras.src.X` is the compatibility
mirror `neokeras.src.X` (the private paths that popular libraries import). The top-level `keras`
module forwards to `neokeras` but reports the Keras API version neokeras implements
(`keras.__version__`, `keras.version()`), because libraries branch on it; `neokeras.__version__`
stays neokeras's own.
"""

import importlib
import importlib.abc
import importlib.machinery
import sys
import types

KERAS_API_VERSION = "3.15.1"


class _KerasModule(types.ModuleType):
    """The top-level `keras` under the drop-in: neokeras's names, Keras's API version."""

    def __getattr__(self, name):
        import neokeras

        if name == "__all__":  # `from keras import *`: every public name, submodules included
            return sorted(n for n in self.__dir__() if not n.startswith("_"))
        try:
            return getattr(neokeras, name)
        except AttributeError:
            raise AttributeError(f"module 'keras' (neokeras drop-in) has no attribute {name!r}") from None

    def __dir__(self):
        import neokeras

        return sorted(set(dir(neokeras)) | set(self.__dict__))


def _keras_version():
    """The Keras API version that neokeras implements."""
    return KERAS_API_VERSION


class _ExistingModuleLoader(importlib.abc.Loader):
    """Hands out an already imported neokeras module under its `keras` name."""

    def __init__(self, module):
        self._module = module

    def create_module(self, spec):
        return self._module

    def exec_module(self, module):
        pass


class _KerasFinder(importlib.abc.MetaPathFinder):
    """Resolves `keras` and `keras.*` (and `keras.src.*`) to neokeras modules."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "keras" and not fullname.startswith("keras."):
            return None
        if fullname == "keras":
            module = _top_level_module()
        else:
            try:
                module = importlib.import_module("neo" + fullname)
            except ModuleNotFoundError as error:
                if error.name is not None and ("neo" + fullname).startswith(error.name):
                    return None  # no such module in neokeras: ImportError as for any module
                raise
        is_package = hasattr(module, "__path__")
        return importlib.machinery.ModuleSpec(fullname, _ExistingModuleLoader(module),
                                              is_package=is_package)


def _top_level_module():
    import neokeras

    module = _KerasModule("keras", neokeras.__doc__)
    module.__path__ = []  # a package: its submodules come from _KerasFinder
    module.__version__ = KERAS_API_VERSION
    module.version = _keras_version
    return module


def _installed():
    return any(isinstance(finder, _KerasFinder) for finder in sys.meta_path)


def install_as_keras():
    """Makes `import keras` (and every `keras.*` module) resolve to neokeras in this process.

    Call it before anything imports `keras`. Calling it again is harmless.

    Raises:
        RuntimeError: if real Keras was already imported in this process (its objects would mix
            with neokeras's).
    """
    if _installed():
        return
    loaded = sorted(name for name in sys.modules if name == "keras" or name.startswith("keras."))
    if loaded:
        raise RuntimeError(
            "neokeras.install_as_keras() must run before `keras` is imported, but these modules "
            f"are already loaded: {loaded[:5]}. Call it first thing (e.g. from sitecustomize.py) "
            "or start the program with `python -m neokeras run script.py`.")
    sys.meta_path.insert(0, _KerasFinder())
