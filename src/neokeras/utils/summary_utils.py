"""`model.summary()`: a table of layers, output shapes and parameter counts."""

import numpy as np


def _count(variables):
    return int(sum(int(np.prod(v.shape)) for v in variables))


def _output_shape(layer):
    spec = getattr(layer, "_output_spec", None)
    if spec is None and layer._inbound_nodes:
        outputs = layer._inbound_nodes[-1].output_tensors
        spec = outputs[0] if len(outputs) == 1 else outputs
    if spec is None:
        return "?"
    if isinstance(spec, list):
        return ", ".join(str(tuple(s.shape)) for s in spec)
    return str(tuple(spec.shape))


def _connections(nodes):
    """`"a[0][0], b[0][0]"`: the tensors feeding a layer of a functional model."""
    names = []
    for node in nodes:
        for tensor in node.input_tensors:
            layer, node_index, tensor_index = tensor._keras_history
            names.append(f"{layer.name}[{node_index}][{tensor_index}]")
    return ", ".join(names) or "-"


def _format_count(n):
    return f"{n:,}"


def print_summary(model, line_length=None, print_fn=None, show_trainable=False):
    """Prints (or passes to `print_fn`) the summary table of `model`."""
    print_fn = print_fn or print
    graph_nodes = getattr(model, "_model_nodes_of", None)
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if graph_nodes is not None:
        headers.append("Connected to")
    if show_trainable:
        headers.append("Trainable")
    rows = []
    layers = model._graph_layers if graph_nodes is not None else model.layers
    for layer in layers:
        params = _count(layer.weights) if layer.built else 0
        row = [f"{layer.name} ({type(layer).__name__})", _output_shape(layer),
               _format_count(params) if layer.built else "0 (unbuilt)"]
        if graph_nodes is not None:
            row.append(_connections(graph_nodes(layer)))
        if show_trainable:
            row.append("Y" if layer.trainable else "N")
        rows.append(row)
    widths = [max(len(h), *(len(r[i]) for r in rows)) + 2 if rows else len(h) + 2
              for i, h in enumerate(headers)]
    if line_length:
        widths[0] = max(widths[0], line_length - sum(widths[1:]))
    total_width = sum(widths)

    def line(cells):
        return "".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()

    lines = [f'Model: "{model.name}"', "━" * total_width, line(headers), "━" * total_width]
    for i, row in enumerate(rows):
        lines.append(line(row))
        lines.append("─" * total_width if i < len(rows) - 1 else "━" * total_width)
    if model.built:
        trainable = _count(model.trainable_weights)
        non_trainable = _count(model.non_trainable_weights)
        total = trainable + non_trainable
        lines.append(f" Total params: {_format_count(total)} ({_bytes(model.weights)})")
        lines.append(f" Trainable params: {_format_count(trainable)} ({_bytes(model.trainable_weights)})")
        lines.append(f" Non-trainable params: {_format_count(non_trainable)} "
                     f"({_bytes(model.non_trainable_weights)})")
        if model.optimizer is not None and model.optimizer.built:
            opt_vars = model.optimizer.variables
            lines.append(f" Optimizer params: {_format_count(_count(opt_vars))} ({_bytes(opt_vars)})")
    else:
        lines.append(" Total params: unknown (the model is not built yet)")
    for text in lines:
        print_fn(text)


def _bytes(variables):
    size = sum(int(np.prod(v.shape)) * np.dtype(v.dtype).itemsize for v in variables)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}" if unit != "B" else f"{size} B"
        size /= 1024
