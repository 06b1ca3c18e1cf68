"""`plot_model` (a graph of the layers, with pydot/graphviz) and `plot_history` (curves of
the logs, with matplotlib). Both libraries are optional and imported only when used."""

import os


def _import_pydot():
    try:
        import pydot
    except ImportError:
        raise ImportError(
            "plot_model needs the `pydot` package and the Graphviz programs: install them with "
            "`pip install pydot` and your system's package of Graphviz (e.g. "
            "`apt-get install graphviz`).") from None
    return pydot


def _layer_label(layer, shape, show_shapes, show_dtype, show_layer_names,
                 show_layer_activations):
    label = type(layer).__name__
    if show_layer_names:
        label = f"{layer.name} ({label})"
    if show_layer_activations and getattr(layer, "activation", None) is not None:
        activation = getattr(layer.activation, "__name__", str(layer.activation))
        label += f"\\nactivation: {activation}"
    if show_dtype:
        label += f"\\ndtype: {getattr(layer, 'dtype', '?')}"
    if show_shapes:
        label += f"\\noutput: {shape}"
    return label


def _output_shapes(model, layers):
    """Each layer's output shape: from its first symbolic call (functional models), else by
    running the shapes down the stack (Sequential); "?" when unknown."""
    shapes, chained = {}, None
    try:
        chained = tuple(model.input_shape)
    except (AttributeError, ValueError):
        pass
    for layer in layers:
        nodes = getattr(layer, "_inbound_nodes", [])
        if nodes and nodes[0].output_tensors:
            found = [tuple(t.shape) for t in nodes[0].output_tensors]
            shapes[id(layer)] = found[0] if len(found) == 1 else found
            chained = None
        elif chained is not None:
            chained = tuple(layer.compute_output_shape(chained))
            shapes[id(layer)] = chained
    return shapes


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", show_layer_activations=False, dpi=200, **kwargs):
    """Returns a `pydot.Dot` graph of the model's layers (each layer linked to the next
    layers that consume its output)."""
    pydot = _import_pydot()
    dot = pydot.Dot(graph_type="digraph", rankdir=rankdir, dpi=str(dpi))
    dot.set_node_defaults(shape="record")
    layers = list(model.layers)
    shapes = _output_shapes(model, layers) if show_shapes else {}
    for layer in layers:
        dot.add_node(pydot.Node(str(id(layer)), label=_layer_label(
            layer, shapes.get(id(layer), "?"), show_shapes, show_dtype, show_layer_names,
            show_layer_activations)))
    for source, target in _edges(model, layers):
        dot.add_edge(pydot.Edge(str(id(source)), str(id(target))))
    return dot


def _edges(model, layers):
    """(producer, consumer) layer pairs; a chain for Sequential-like models without nodes."""
    edges = []
    ids = {id(layer) for layer in layers}
    for layer in layers:
        for node in getattr(layer, "_inbound_nodes", []):
            for parent in (p.layer for p in node.parent_nodes):
                if id(parent) in ids and all(parent is not a or layer is not b
                                             for a, b in edges):
                    edges.append((parent, layer))
    if not edges:
        edges = list(zip(layers, layers[1:]))
    return edges


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, **kwargs):
    """Draws the model's layer graph to `to_file` (format from its extension: png, svg, pdf,
    dot). Needs `pydot` and Graphviz.

    Args:
        model: A model.
        to_file: Output path.
        show_shapes, show_dtype, show_layer_names, show_layer_activations: What each box shows.
        rankdir: `"TB"` (top to bottom) or `"LR"`.
        dpi: Resolution.
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir, dpi=dpi,
                       show_layer_activations=show_layer_activations)
    extension = os.path.splitext(os.fspath(to_file))[1][1:] or "png"
    dot.write(os.fspath(to_file), format="raw" if extension == "dot" else extension)
    return dot


def plot_history(history, path=None, metrics=None):
    """Plots each logged value per epoch (one panel per metric, `val_*` on the same panel)
    and saves the figure as an image. Needs `matplotlib`.

    Args:
        history: A `History` (what `fit` returns) or its `.history` dict.
        path: File to save (e.g. `"history.png"`); when None the figure is only returned.
        metrics: Names to plot (default: every name without the `val_` prefix).

    Returns:
        The matplotlib `Figure`.
    """
    try:
        import matplotlib
        matplotlib.use("Agg", force=False)
        from matplotlib import pyplot
    except ImportError:
        raise ImportError("plot_history needs matplotlib: install it with "
                          "`pip install matplotlib`.") from None
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError("plot_history: expected a History or a non-empty dict of per-epoch "
                         f"values. Received: {type(history).__name__}")
    epochs = list(getattr(history, "epoch", None) or range(len(next(iter(logs.values())))))
    names = metrics or [name for name in logs if not name.startswith("val_")]
    missing = [name for name in names if name not in logs]
    if missing:
        raise ValueError(f"plot_history: {missing} are not in the history "
                         f"(it has {sorted(logs)}).")
    figure, axes = pyplot.subplots(len(names), 1, figsize=(6, 3 * len(names)), squeeze=False)
    for axis, name in zip(axes[:, 0], names):
        axis.plot([e + 1 for e in epochs], logs[name], marker="o", label=name)
        if f"val_{name}" in logs:
            axis.plot([e + 1 for e in epochs][-len(logs[f"val_{name}"]):], logs[f"val_{name}"],
                      marker="o", label=f"val_{name}")
        axis.set_xlabel("epoch")
        axis.set_ylabel(name)
        axis.legend()
    figure.tight_layout()
    if path is not None:
        figure.savefig(os.fspath(path))
        pyplot.close(figure)
    return figure
