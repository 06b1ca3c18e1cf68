"""Rematerialization (gradient checkpointing): recompute activations in the backward pass
instead of keeping them, trading compute for memory."""

import functools
import math
import threading

from neokeras.api_export import keras_name

_STATE = threading.local()
_MODES = ("full", "activations", "larger_than", "list_of_layers", None)


@keras_name("keras.remat")
def remat(f):
    """Wraps `f` so that its intermediate values are recomputed during backpropagation.

    Example:

    >>> dense_block = keras.remat(lambda x: ops.relu(x @ w1) @ w2)
    """
    from neokeras import backend

    return backend.impl.core.remat(f)


@keras_name("keras.RematScope")
class RematScope:
    """Rematerializes the calls of layers created inside the scope.

    Args:
        mode: `"full"` (every layer), `"activations"` (only the layers' activation functions),
            `"larger_than"` (layers whose output has more than `output_size_threshold`
            elements), `"list_of_layers"` (layers named in `layer_names`) or None (off).
        output_size_threshold: Element count for `"larger_than"`.
        layer_names: Layer names for `"list_of_layers"`.
    """

    def __init__(self, mode="full", output_size_threshold=1024, layer_names=None):
        if mode not in _MODES:
            raise ValueError(f"RematScope: invalid mode {mode!r}. Supported modes are 'full', "
                             "'activations', 'larger_than', 'list_of_layers' or None.")
        self.mode = mode
        self.output_size_threshold = output_size_threshold
        self.layer_names = list(layer_names or [])

    def __enter__(self):
        _STATE.stack = getattr(_STATE, "stack", []) + [self]
        return self

    def __exit__(self, *exc):
        _STATE.stack = _STATE.stack[:-1]


def current_remat_mode():
    """The innermost open `RematScope`, or None."""
    stack = getattr(_STATE, "stack", None)
    return stack[-1] if stack and stack[-1].mode is not None else None


def rematerialized_call(layer, call, args, kwargs):
    """`call`, wrapped according to the `RematScope` the layer was created in."""
    scope = layer._remat_mode
    if scope is None:
        return call
    if scope.mode == "full" or (scope.mode == "list_of_layers" and layer.name in scope.layer_names):
        return remat(call)
    if scope.mode == "larger_than":
        from neokeras import backend
        from neokeras.utils import tree

        spec = backend.compute_output_spec(call, *args, **kwargs)
        size = sum(math.prod(d or 1 for d in t.shape) for t in tree.flatten(spec)
                   if hasattr(t, "shape"))
        return remat(call) if size > scope.output_size_threshold else call
    if scope.mode == "activations" and getattr(layer, "activation", None) is not None:
        @functools.wraps(call)
        def with_remat_activation(*a, **k):
            original = layer.activation
            layer.activation = remat(original)
            try:
                return call(*a, **k)
            finally:
                layer.activation = original

        return with_remat_activation
    return call
