"""The graph view of a layer (both Keras generations): `input`, `output`, `input_shape`,
`get_output_at(i)`, `inbound_nodes`, ...

Every call of a layer on symbolic tensors records a `Node`; these accessors read them. As in
Keras 3, `input` and `output` are those of the first call; `input_shape` and `output_shape`
follow Keras 2 and must agree across calls.
"""

import numbers

from neokeras.utils import tree


class LayerNodesMixin:
    """Read-only accessors over `self._inbound_nodes` and `self._outbound_nodes`."""

    @property
    def inbound_nodes(self):
        """The nodes created by calling this layer on symbolic tensors, in call order."""
        return list(self._inbound_nodes)

    @property
    def outbound_nodes(self):
        """The nodes of the layers that were called on this layer's symbolic outputs."""
        return list(self._outbound_nodes)

    def _node(self, node_index, what):
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer '{self.name}' has never been called on symbolic inputs (keras.Input), "
                f"so it has no {what}. Build a functional model through it first.")
        count = len(self._inbound_nodes)
        if not isinstance(node_index, numbers.Integral) or not -count <= node_index < count:
            raise ValueError(
                f"Layer '{self.name}': node index {node_index!r} is out of range; the layer has "
                f"{len(self._inbound_nodes)} inbound node(s).")
        return self._inbound_nodes[node_index]

    def get_input_at(self, node_index):
        """The input tensor(s) of the `node_index`-th call of the layer."""
        return _node_inputs(self._node(node_index, "input"))

    def get_output_at(self, node_index):
        """The output tensor(s) of the `node_index`-th call of the layer."""
        return self._node(node_index, "output").outputs

    def get_input_shape_at(self, node_index):
        """The input shape(s) of the `node_index`-th call, batch dimension included."""
        return _shapes(self.get_input_at(node_index))

    def get_output_shape_at(self, node_index):
        """The output shape(s) of the `node_index`-th call, batch dimension included."""
        return _shapes(self.get_output_at(node_index))

    @property
    def input(self):
        """The input tensor(s) of the layer's first call on symbolic inputs."""
        return self.get_input_at(0)

    @property
    def output(self):
        """The output tensor(s) of the layer's first call on symbolic inputs."""
        return self.get_output_at(0)

    @property
    def input_shape(self):
        """The input shape, batch dimension included (Keras 2); the same for every call."""
        return self._unique_shape("input", self.get_input_shape_at)

    @property
    def output_shape(self):
        """The output shape, batch dimension included (Keras 2); the same for every call."""
        return self._unique_shape("output", self.get_output_shape_at)

    def _unique_shape(self, what, shape_at):
        if not self._inbound_nodes:
            raise AttributeError(
                f"The layer '{self.name}' has never been called and thus has no defined "
                f"{what} shape. Call it on a keras.Input (or build a model with it) first.")
        shapes = [shape_at(i) for i in range(len(self._inbound_nodes))]
        if any(s != shapes[0] for s in shapes[1:]):
            raise AttributeError(
                f"The layer '{self.name}' has multiple inbound nodes with different {what} "
                f"shapes ({shapes}), hence the notion of '{what} shape' is ill-defined. Use "
                f"get_{what}_shape_at(node_index) instead.")
        return shapes[0]


def _node_inputs(node):
    """The first call argument, in the structure it was passed (a tensor, list or dict)."""
    if node.call_args:
        return node.call_args[0]
    return node.outputs  # an InputLayer's node: its input is its output


def _shapes(structure):
    return tree.map_structure(lambda t: tuple(t.shape), structure)
