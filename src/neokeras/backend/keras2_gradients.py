"""Keras 2 `K.gradients(loss, variables)`: symbolic gradients of a graph of symbolic tensors.

`loss` is a `KerasTensor` built from placeholders or `model.input` (through layers and `K`
ops). The gradients are new symbolic tensors, one per entry of `variables` (placeholders,
intermediate tensors such as a layer's `.output`, or weights), to be evaluated with
`K.function`:

    grads = K.gradients(loss, model.input)[0]
    saliency = K.function([model.input], [grads])([images])[0]

As `tf.gradients`, a non-scalar loss is summed, and an entry the loss does not depend on gets
None.
"""

import types

import jax

from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.backend.common.variables import KerasVariable
from neokeras.utils import tree

__all__ = ["gradients"]


def gradients(loss, variables):
    """The gradients of `loss` (summed over its elements and over a list of losses) with
    respect to each of `variables`, as symbolic tensors for `K.function`.

    Args:
        loss: A symbolic tensor (or a list of them) computed from placeholders / model inputs.
        variables: A symbolic tensor, a `Variable`, or a list of them.

    Returns:
        A list with one symbolic tensor per entry of `variables` (None where `loss` does not
        depend on the entry, or the entry is not a float tensor).
    """
    losses = list(loss) if isinstance(loss, (list, tuple)) else [loss]
    targets = list(variables) if isinstance(variables, (list, tuple)) else [variables]
    for value in losses:
        if not isinstance(value, KerasTensor):
            raise ValueError("K.gradients: `loss` must be a symbolic tensor (built from "
                             "K.placeholder / model.input); use a GradientTape-style "
                             "jax.grad for eager values. Received: "
                             f"{type(value).__name__}")
    for target in targets:
        if not isinstance(target, (KerasTensor, KerasVariable)):
            raise ValueError("K.gradients: each entry of `variables` must be a symbolic tensor or "
                             f"a Variable. Received: {type(target).__name__}")
    tensors, layers, sources = _upstream(losses)
    weights = {id(w) for layer in layers for w in layer.weights}
    # Integer tensors have no gradient (None, as tf.gradients gives).
    connected = [t for t in targets if "float" in str(t.dtype) and (
        id(t) in tensors if isinstance(t, KerasTensor) else id(t) in weights)]
    if not connected:
        return [None] * len(targets)
    outputs = _gradient_layer()(losses, connected)(sources)
    outputs = dict(zip([id(t) for t in connected], tree.flatten(outputs)))
    return [outputs.get(id(t)) for t in targets]


def _upstream(losses):
    """Ids of the tensors `losses` depend on, the layers involved, and the input tensors."""
    seen, layers, sources, stack = set(), {}, [], list(losses)
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        history = tensor._keras_history
        if history is None:
            raise ValueError("K.gradients: the loss depends on a symbolic tensor that no layer or "
                             "placeholder produced.")
        layer, node_index, _ = history
        node = layer._inbound_nodes[node_index]
        if node.is_input:
            sources.append(tensor)
            continue
        layers[id(layer)] = layer
        stack.extend(node.input_tensors)
    return seen, list(layers.values()), sources[::-1]


def _evaluate(tensors, known, training, shifts=None):
    """Values of symbolic `tensors`, running their nodes on the `known` values (by id).

    `shifts` (by id) are added to the values of those tensors where they are computed, so the
    derivative in a shift is the total derivative in that tensor.
    """
    shifts = shifts or {}
    memo = {}

    def settle(tensor, result):
        memo[id(tensor)] = result + shifts[id(tensor)] if id(tensor) in shifts else result

    def value(tensor):
        if id(tensor) not in memo:
            if id(tensor) in known:
                settle(tensor, known[id(tensor)])
                return memo[id(tensor)]
            layer, node_index, _ = tensor._keras_history
            node = layer._inbound_nodes[node_index]

            def lookup(x):
                return value(x) if isinstance(x, KerasTensor) else x

            args = tree.map_structure(lookup, node.call_args)
            kwargs = tree.map_structure(lookup, node.call_kwargs)
            if getattr(layer, "_call_has_training_arg", False) and (
                    training is not None or "training" not in kwargs):  # the mode wins, as Keras 3
                kwargs["training"] = training
            outputs = layer(*args, **kwargs)
            for output, result in zip(node.output_tensors, tree.flatten(outputs)):
                settle(output, result)
        return memo[id(tensor)]

    return [value(t) for t in tensors]


_GRADIENT_LAYER = []


def _gradient_layer():
    """The layer class computing the gradients (defined on first use: layers import backend)."""
    if _GRADIENT_LAYER:
        return _GRADIENT_LAYER[0]
    from neokeras.layers.layer import Layer

    class Gradients(Layer):
        """Node of `K.gradients`: called on the graph's inputs, returns the gradients."""

        def __init__(self, losses, targets):
            super().__init__(name=None)
            # A plain holder: attributes holding variables would make them this layer's.
            self._graph = types.SimpleNamespace(losses=losses, targets=targets)
            self.built = True

        def call(self, sources):
            from neokeras.backend.keras2_graph import learning_phase

            sources = sources if isinstance(sources, (list, tuple)) else [sources]
            training = bool(learning_phase())
            losses, targets = self._graph.losses, self._graph.targets
            _, _, source_tensors = _upstream(losses)
            known = {id(t): v for t, v in zip(source_tensors, sources)}
            tensors = [t for t in targets if isinstance(t, KerasTensor)]
            weights = [t for t in targets if isinstance(t, KerasVariable)]
            zeros = [jax.numpy.zeros_like(v) for v in _evaluate(tensors, known, training)]

            def total_loss(shift_values, weight_values):
                shifts = {id(t): v for t, v in zip(tensors, shift_values)}
                with StatelessScope(list(zip(weights, weight_values))):
                    values = _evaluate(losses, known, training, shifts)
                return sum(value.sum() for value in values)

            tensor_grads, weight_grads = jax.grad(total_loss, argnums=(0, 1))(
                zeros, [w.value for w in weights])
            by_id = {id(t): g for t, g in zip(tensors, tensor_grads)}
            by_id.update({id(w): g for w, g in zip(weights, weight_grads)})
            return [by_id[id(t)] for t in targets]

        def compute_output_spec(self, sources):
            return [KerasTensor(tuple(t.shape), dtype=str(t.dtype))
                    for t in self._graph.targets]

    _GRADIENT_LAYER.append(Gradients)
    return Gradients
