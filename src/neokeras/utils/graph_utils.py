"""Walking the functional graph back from a symbolic tensor."""

from neokeras.backend.common.keras_tensor import is_keras_tensor  # noqa: F401


def get_source_inputs(tensor):
    """The `Input` tensors `tensor` is computed from (a list, without duplicates).

    Args:
        tensor: A symbolic tensor (a `KerasTensor`); other values are returned unchanged.
    """
    history = getattr(tensor, "_keras_history", None)
    if not hasattr(tensor, "_keras_history"):
        return tensor
    if history is None:
        return [tensor]
    layer, node_index, _ = history
    if not layer or not layer._inbound_nodes:
        return [tensor]
    node = layer._inbound_nodes[node_index]
    if node.is_input:
        return list(node.output_tensors)
    sources = []
    for parent in node.input_tensors:
        for source in get_source_inputs(parent):
            if all(source is not s for s in sources):
                sources.append(source)
    return sources
