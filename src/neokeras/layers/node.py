"""`Node`: one call of a layer on symbolic tensors, an edge set of the functional graph."""

from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.utils import tree


class Node:
    """Records `layer(*call_args, **call_kwargs) -> outputs` on `KerasTensor`s.

    The outputs learn where they come from through `_keras_history = (layer, node_index,
    tensor_index)`; a functional model walks these links back from its outputs to its inputs.
    """

    def __init__(self, layer, call_args=(), call_kwargs=None, outputs=None):
        self.layer = layer
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = outputs
        self.input_tensors = [x for x in tree.flatten((self.call_args, self.call_kwargs))
                              if isinstance(x, KerasTensor)]
        self.output_tensors = [x for x in tree.flatten(outputs) if isinstance(x, KerasTensor)]
        if layer is not None:
            node_index = len(layer._inbound_nodes)
            layer._inbound_nodes.append(self)
            for index, tensor in enumerate(self.output_tensors):
                tensor._keras_history = (layer, node_index, index)
            for tensor in self.input_tensors:
                if tensor._keras_history is not None:
                    producer = tensor._keras_history[0]
                    if all(node is not self for node in producer._outbound_nodes):
                        producer._outbound_nodes.append(self)

    @property
    def parent_nodes(self):
        """The nodes that produced this node's inputs."""
        parents = []
        for tensor in self.input_tensors:
            if tensor._keras_history is not None:
                layer, node_index, _ = tensor._keras_history
                parents.append(layer._inbound_nodes[node_index])
        return parents

    @property
    def is_input(self):
        return not self.input_tensors
