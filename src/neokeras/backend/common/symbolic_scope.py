"""`SymbolicScope`: marks code running on symbolic tensors (shape inference)."""

import threading

from neokeras.api_export import keras_name

_STATE = threading.local()


@keras_name("keras.SymbolicScope")
class SymbolicScope:
    """Context in which computations only infer shapes and dtypes (no values).

    neokeras opens it while inferring a layer's output spec; code can ask
    `in_symbolic_scope()` to skip work that only matters for real values.
    """

    def __enter__(self):
        self._previous = getattr(_STATE, "scope", None)
        _STATE.scope = self
        return self

    def __exit__(self, *exc):
        _STATE.scope = self._previous


def in_symbolic_scope():
    """Whether a `SymbolicScope` is open."""
    return getattr(_STATE, "scope", None) is not None
