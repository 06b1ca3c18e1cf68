"""`Functional`: a model defined by a graph of layer calls, `Model(inputs, outputs)`.

Calling layers on `KerasTensor`s records `Node`s; the model walks them back from its outputs to
its inputs once, then runs them in topological order, mapping each symbolic tensor (by id) to the
value computed for it. Running is plain Python calling layers, so it works eagerly, under `jit`
and inside `stateless_call` alike.
"""

from neokeras.api_export import keras_name
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.backend.common.name_scope import current_path
from neokeras.layers.core.input_layer import InputLayer
from neokeras.layers.layer import Layer
from neokeras.models.model import Model
from neokeras.utils import tree


@keras_name("keras.src.models.functional.Functional")
class Functional(Model):
    """A model given by its input and output tensors.

    Args:
        inputs: A `keras.Input` tensor, or a list or dict of them.
        outputs: A tensor computed from `inputs` by calling layers and ops, or a list or dict
            of them.
        name: Model name.
        trainable: Whether the model's weights are trained.

    Example:

    >>> x = keras.Input(shape=(3,), name="x")
    >>> y = keras.layers.Dense(2, name="d")(x)
    >>> model = keras.Model(x, y)
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        inputs = _unwrap_single(inputs)
        outputs = _unwrap_single(outputs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._input_tensors = tree.flatten(inputs)
        self._output_tensors = tree.flatten(outputs)
        self._check_endpoints()
        self._symbolic_losses = []  # Keras 2 `add_loss` on graph tensors, and their nodes
        self._loss_nodes = []
        self._realized_losses = set()
        self._nodes = self._topological_nodes()
        self._graph_layers = _keras_layer_order(self._input_tensors, self._output_tensors)
        self._check_unique_names()
        for layer in self._graph_layers:
            self._track(layer)
        with self._open_name_scope():  # built here, so it has its path (as in Keras)
            self._path = current_path()
        self.built = True

    # ------------------------------------------------------------------ graph
    def _check_endpoints(self):
        for tensor in self._input_tensors:
            if not isinstance(tensor, KerasTensor) or tensor._keras_history is None \
                    or not isinstance(tensor._keras_history[0], InputLayer):
                raise ValueError(
                    f"Model '{self.name}': every input must be a tensor returned by "
                    f"keras.Input(...). Received: {tensor!r}")
        for tensor in self._output_tensors:
            if not isinstance(tensor, KerasTensor) or tensor._keras_history is None:
                raise ValueError(
                    f"Model '{self.name}': every output must be a symbolic tensor computed from "
                    f"the inputs by calling layers or ops. Received: {tensor!r}")

    def _check_unique_names(self):
        # Weights files (legacy .h5) and configs address layers by name, so names must differ.
        seen = set()
        for layer in self._graph_layers:
            if layer.name in seen:
                count = sum(other.name == layer.name for other in self._graph_layers)
                raise ValueError(
                    f'The name "{layer.name}" is used {count} times in the model '
                    f"'{self.name}'. All layer names should be unique.")
            seen.add(layer.name)

    def _topological_nodes(self, outputs=None, done=None):
        """The nodes between inputs and `outputs` (default: the model's), each after the nodes
        it depends on, leaving out those whose ids are in `done`.

        Iterative (a chain of thousands of layers must not hit Python's recursion limit).
        """
        input_ids = {id(t) for t in self._input_tensors}
        order, active = [], set()
        done = set() if done is None else set(done)
        for output in self._output_tensors if outputs is None else outputs:
            stack = [(output, False)]
            while stack:
                tensor, expanded = stack.pop()
                if id(tensor) in input_ids:
                    continue
                layer, node_index, _ = tensor._keras_history
                node = layer._inbound_nodes[node_index]
                if expanded:
                    active.discard(id(node))
                    if id(node) not in done:
                        done.add(id(node))
                        order.append(node)
                    continue
                if id(node) in done:
                    continue
                if node.is_input:
                    raise ValueError(
                        f"Graph disconnected in model '{self.name}': the output depends on the "
                        f"input '{layer.name}', which is not among the model's inputs "
                        f"{[t.name for t in self._input_tensors]}.")
                if id(node) in active:
                    raise ValueError(f"Model '{self.name}': the layer graph has a cycle.")
                active.add(id(node))
                stack.append((tensor, True))
                stack.extend((parent, False) for parent in reversed(node.input_tensors))
        return order

    def _model_nodes_of(self, layer):
        """The nodes of `layer` that belong to this model, in the layer's call order."""
        if isinstance(layer, InputLayer):
            return layer._inbound_nodes[:1]
        ids = getattr(self, "_node_id_cache", None)
        if ids is None or ids[0] is not self._nodes:
            ids = self._node_id_cache = (self._nodes, {id(node) for node in self._nodes})
        return [node for node in layer._inbound_nodes if id(node) in ids[1]]

    # ------------------------------------------------------------------ public properties
    @property
    def layers(self):
        """Every layer of the graph, input layers first, in topological order (ops left out)."""
        from neokeras.ops.operation import OpLayer

        return [layer for layer in self._graph_layers if not isinstance(layer, OpLayer)]

    @layers.setter
    def layers(self, _):
        raise AttributeError("`Model.layers` attribute is reserved and should not be used. "
                             "Please use another name.")

    @property
    def inputs(self):
        return list(self._input_tensors)

    @property
    def outputs(self):
        return list(self._output_tensors)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        return tree.map_structure(lambda t: tuple(t.shape), self._inputs_struct)

    @property
    def output_shape(self):
        return tree.map_structure(lambda t: tuple(t.shape), self._outputs_struct)

    @property
    def input_names(self):
        return [t._keras_history[0].name for t in self._input_tensors]

    @property
    def output_names(self):
        """The names of the layers producing the outputs (dict keys for dict outputs)."""
        if isinstance(self._outputs_struct, dict):
            return sorted(self._outputs_struct)
        return [t._keras_history[0].name for t in self._output_tensors]

    # ------------------------------------------------------------------ running
    def call(self, inputs, training=None, mask=None):
        values = self._adjust_input_rank(self._standardize_inputs(inputs))
        computed = {id(t): v for t, v in zip(self._input_tensors, values)}

        def lookup(x):
            return computed[id(x)] if isinstance(x, KerasTensor) else x

        for node in self._nodes + self._loss_nodes:
            args = tree.map_structure(lookup, node.call_args)
            kwargs = tree.map_structure(lookup, node.call_kwargs)
            if training is not None and isinstance(node.layer, Layer):
                # As Keras 3: the model's mode (fit, predict, an explicit `training`) wins
                # over one recorded in the graph, such as Dropout's default `training=False`.
                kwargs["training"] = training
            outputs = node.layer(*args, **kwargs)
            for tensor, value in zip(node.output_tensors, tree.flatten(outputs)):
                computed[id(tensor)] = value
        realized = [computed[id(t)] for t in self._symbolic_losses]
        for value in realized:
            self.add_loss(value)
        self._realized_losses = {id(v) for v in realized}
        return tree.map_structure(lambda t: computed[id(t)], self._outputs_struct)

    def compute_output_spec(self, inputs, training=None, mask=None):
        """The output `KerasTensor`s for symbolic `inputs`, from each layer's own symbolic
        output (as Keras does) rather than a trace of the whole graph: a layer that states its
        output shape then never runs on stand-in sizes."""
        if not self.built:
            return super().compute_output_spec(inputs, training=training, mask=mask)
        computed = {id(t): v for t, v in zip(self._input_tensors,
                                              self._standardize_inputs(inputs))}

        def lookup(x):
            return computed[id(x)] if isinstance(x, KerasTensor) else x

        for node in self._nodes:
            outputs = node.layer._symbolic_outputs(*tree.map_structure(lookup, node.call_args),
                                                   **tree.map_structure(lookup, node.call_kwargs))
            for tensor, value in zip(node.output_tensors, tree.flatten(outputs)):
                computed[id(tensor)] = value
        return tree.map_structure(lambda t: computed[id(t)], self._outputs_struct)

    def add_loss(self, loss):
        """Adds a loss term. A symbolic one (Keras 2 style: `model.add_loss(K.mean(...))` on
        tensors of the model's graph) is computed from the graph on every call of the model,
        so `fit` trains on it (with or without a compiled loss)."""
        if not any(isinstance(t, KerasTensor) for t in tree.flatten(loss)):
            return super().add_loss(loss)
        for tensor in tree.flatten(loss):
            if not isinstance(tensor, KerasTensor) or tensor._keras_history is None:
                raise ValueError(
                    f"Model '{self.name}': add_loss needs a tensor computed from the model's "
                    f"inputs by layers or ops. Received: {tensor!r}")
            self._symbolic_losses.append(tensor)
        done = {id(node) for node in self._nodes + self._loss_nodes}
        new_nodes = self._topological_nodes(self._symbolic_losses, done)
        self._loss_nodes = self._loss_nodes + new_nodes
        for node in new_nodes:
            self._track(node.layer)

    @property
    def losses(self):
        result = super().losses
        if self._symbolic_losses and not any(id(v) in self._realized_losses for v in result):
            # Between calls, the symbolic loss tensors stand for their terms (as in Keras 2).
            result = result + list(self._symbolic_losses)
        return result

    def _standardize_inputs(self, inputs):
        """The input values as a flat list in the order of `self.inputs`."""
        expected = self._inputs_struct
        if isinstance(inputs, dict) and not isinstance(expected, dict):
            names = self.input_names
            missing = [n for n in names if n not in inputs]
            if missing:
                raise ValueError(
                    f"Model '{self.name}' expects inputs named {names}; the dict passed is "
                    f"missing {missing}.")
            return [inputs[n] for n in names]
        if isinstance(expected, dict):
            if not isinstance(inputs, dict):
                raise ValueError(
                    f"Model '{self.name}' expects a dict of inputs with keys "
                    f"{sorted(expected)}. Received: {type(inputs).__name__}")
            missing = sorted(set(expected) - set(inputs))
            if missing:
                raise ValueError(
                    f"Model '{self.name}': the dict of inputs is missing keys {missing} "
                    f"(expected {sorted(expected)}).")
            return [inputs[k] for k in sorted(expected)]
        if isinstance(inputs, (list, tuple)) and len(self._input_tensors) == 1 and len(inputs) == 1:
            inputs = inputs[0]
        flat = tree.flatten(inputs) if isinstance(expected, (list, tuple)) else [inputs]
        if len(flat) != len(self._input_tensors):
            raise ValueError(
                f"Model '{self.name}' expects {len(self._input_tensors)} input(s) "
                f"{self.input_names}, but received {len(flat)}.")
        return flat

    def _adjust_input_rank(self, values):
        """As Keras 3: an input with one more axis than expected, of size 1, loses it; an input
        with one axis fewer gains it when the expected last axis has size 1."""
        from neokeras import ops

        adjusted = []
        for tensor, value in zip(self._input_tensors, values):
            change = _rank_change(tensor.shape, getattr(value, "shape", None))
            if change == "squeeze":
                value = ops.squeeze(value, axis=-1)
            elif change == "expand":
                value = ops.expand_dims(value, axis=-1)
            adjusted.append(value)
        return adjusted

    def _check_input_spec(self, inputs):
        values = self._standardize_inputs(inputs)
        for tensor, value in zip(self._input_tensors, values):
            shape = getattr(value, "shape", None)
            if shape is None:
                continue
            expected = tensor.shape
            change = _rank_change(expected, shape)
            shape = (tuple(shape)[:-1] if change == "squeeze"
                     else tuple(shape) + (1,) if change == "expand" else shape)
            if len(shape) != len(expected) or any(
                    e is not None and s is not None and e != s for e, s in zip(expected, shape)):
                raise ValueError(
                    f"Input '{tensor._keras_history[0].name}' of model '{self.name}' is "
                    f"incompatible: expected shape {expected}, received shape {tuple(shape)}.")

    def build(self, input_shape=None):
        self.built = True

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        if not functional_like_constructor(type(self)):
            # A subclass with its own constructor arguments is rebuilt by calling it again.
            config = Model.get_config(self)
            if type(self).get_config is Functional.get_config:
                config.update(self._constructor_arguments())
            return config

        node_ids = {}  # id(node) -> index among that layer's nodes in this model
        for layer in self._graph_layers:
            for index, node in enumerate(self._model_nodes_of(layer)):
                node_ids[id(node)] = index

        def history(tensor, endpoint=False):
            layer, node_index, tensor_index = tensor._keras_history
            node = layer._inbound_nodes[node_index]
            # Keras 3 numbers a nested functional model's nodes from 1 in `output_layers` (and
            # from 0 in the nodes' arguments).
            offset = 1 if endpoint and isinstance(layer, Functional) else 0
            return [layer.name, node_ids.get(id(node), node_index) + offset, tensor_index]

        def endpoint(tensor):
            return history(tensor, endpoint=True)

        def encode(value):
            if isinstance(value, KerasTensor):
                return {"class_name": "__keras_tensor__",
                        "config": {"shape": list(value.shape), "dtype": value.dtype,
                                   "keras_history": history(value)}}
            if isinstance(value, slice):
                return {"class_name": "__slice__",
                        "config": {"start": encode(value.start), "stop": encode(value.stop),
                                   "step": encode(value.step)}}
            if value is Ellipsis:
                return {"class_name": "__ellipsis__", "config": {}}
            if isinstance(value, (list, tuple)):
                return [encode(v) for v in value]
            if isinstance(value, dict):
                return {k: encode(v) for k, v in value.items()}
            return serialize_keras_object(value)

        layer_configs = []
        for layer in self._graph_layers:
            entry = _serialize_layer(layer)
            entry["name"] = layer.name
            entry["inbound_nodes"] = [] if isinstance(layer, InputLayer) else [
                {"args": encode(list(node.call_args)), "kwargs": encode(node.call_kwargs)}
                for node in self._model_nodes_of(layer)]
            layer_configs.append(entry)
        return {"name": self.name, "trainable": self.trainable, "layers": layer_configs,
                "input_layers": tree.map_structure(endpoint, self._inputs_struct),
                "output_layers": tree.map_structure(endpoint, self._outputs_struct)}

    def get_build_config(self):
        return {"input_shape": None}

    def build_from_config(self, build_config):
        pass

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=True):
        """Rebuilds the model; reads Keras 3 (`args`/`kwargs`) and Keras 2 (nested list) nodes."""
        return _functional_from_config(cls, config, custom_objects, safe_mode)


def functional_like_constructor(cls):
    """Whether `cls(inputs, outputs, name=..., trainable=...)` rebuilds an instance of `cls`."""
    import inspect

    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    kinds = {p.kind for p in parameters}
    if {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD} <= kinds:
        return True
    return [p.name for p in parameters[:2]] == ["inputs", "outputs"]


def _serialize_layer(layer):
    from neokeras.ops.operation import OpLayer
    from neokeras.saving.serialization import serialize_keras_object

    if isinstance(layer, OpLayer):
        module, class_name = layer.keras_identity()
        return {"module": module, "class_name": class_name, "config": layer.get_config(),
                "registered_name": class_name}
    return serialize_keras_object(layer)


def _unwrap_single(structure):
    if isinstance(structure, (list, tuple)) and len(structure) == 1 \
            and isinstance(structure[0], KerasTensor):
        return structure[0]
    return structure


def _keras_layer_order(input_tensors, output_tensors):
    """The graph's layers in Keras's order, which legacy `.h5` weight files rely on.

    Keras sorts layers by depth (the longest path to an output), deepest first, and breaks ties
    by the order a depth-first walk from the outputs first reaches them. Iterative, like
    `_topological_nodes`, so very deep graphs do not hit the recursion limit.
    """
    input_ids = {id(t) for t in input_tensors}
    first_seen, post_order, entered = {}, [], set()
    stack = [(tensor, False) for tensor in reversed(output_tensors)]
    while stack:
        tensor, parents_done = stack.pop()
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if parents_done:
            post_order.append(node)
            continue
        if id(node) in entered:
            continue
        entered.add(id(node))
        first_seen.setdefault(layer, len(first_seen))
        stack.append((tensor, True))
        if id(tensor) not in input_ids:
            stack.extend((parent, False) for parent in reversed(node.input_tensors))
    node_depth, layer_depth = {}, {}
    for node in reversed(post_order):
        depth = max(node_depth.setdefault(node, 0), layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = node_depth[node] = depth
        if not node.is_input:
            for parent in node.parent_nodes:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    for tensor in input_tensors:  # inputs no output depends on still belong to the model
        layer = tensor._keras_history[0]
        if layer not in layer_depth:
            layer_depth[layer], first_seen[layer] = 0, -1
    return sorted(layer_depth, key=lambda layer: (-layer_depth[layer], first_seen[layer]))


# ---------------------------------------------------------------------- from_config
def _deserialize_layer(layer_config, custom_objects, safe_mode):
    from neokeras.ops.operation import OpLayer
    from neokeras.saving.serialization import deserialize_keras_object

    module = layer_config.get("module") or ""
    if module.startswith("keras.src.ops."):
        return OpLayer.from_keras_config(layer_config["class_name"],
                                         layer_config.get("config", {}), module)
    entry = {k: v for k, v in layer_config.items() if k not in ("name", "inbound_nodes")}
    if module.startswith("keras.src.models.functional") or entry.get("class_name") in (
            "Functional", "Model"):
        return Functional.from_config(entry["config"], custom_objects, safe_mode)
    return deserialize_keras_object(entry, custom_objects=custom_objects, safe_mode=safe_mode)


def _is_history(value):
    return (isinstance(value, (list, tuple)) and len(value) >= 3 and isinstance(value[0], str)
            and isinstance(value[1], int) and isinstance(value[2], int))


def _node_offset(layer, layer_config, keras2, endpoint):
    """The index a config gives the first node of `layer` in the model being rebuilt.

    tf-keras numbered the nodes of a nested functional model (and of a nested Sequential that
    starts with an InputLayer) from 1: their node 0 built them. Keras 3 does so only in
    `input_layers` / `output_layers`, and only for functional models.
    """
    from neokeras.models.sequential import Sequential

    if isinstance(layer, Functional):
        return 1 if keras2 or endpoint else 0
    if keras2 and isinstance(layer, Sequential):
        inner = layer_config.get("config")
        layers = inner.get("layers") if isinstance(inner, dict) else None
        return int(bool(layers) and isinstance(layers[0], dict)
                   and layers[0].get("class_name") == "InputLayer")
    return 0


def _takes_initial_state(layer):
    import inspect

    try:
        return "initial_state" in inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False


def _references(value, found):
    """Appends every (layer_name, node_index) a node config reads (iteratively)."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if value.get("class_name") == "__keras_tensor__":
                history = value.get("config", {}).get("keras_history") \
                    if isinstance(value.get("config"), dict) else None
                if not _is_history(history):
                    raise ValueError(f"Malformed tensor reference in a functional config: {value!r:.200}")
                found.append((history[0], history[1]))
            else:
                stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            if _legacy_entry(value):
                found.append((value[0], value[1]))
            else:
                stack.extend(value)


def _functional_from_config(cls, config, custom_objects=None, safe_mode=True):
    """Rebuilds a functional model: each node is called once all the tensors it reads exist
    (work linear in the size of the config, whatever order the layers are listed in)."""
    from collections import deque

    from neokeras.saving.serialization import deserialize_keras_object

    from neokeras.saving import limits

    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError("A functional model config needs a 'layers' list. "
                         f"Received keys: {sorted(config) if isinstance(config, dict) else config!r:.100}")
    limits.check_layer_count(len(config["layers"]), "The functional config")
    layers, nodes = {}, []  # nodes: (layer_name, node_config, index among the layer's nodes)
    offsets = {}  # layer name -> (offset in node arguments, offset in input/output_layers)
    keras2 = any(isinstance(node, list) for entry in config["layers"] if isinstance(entry, dict)
                 for node in entry.get("inbound_nodes") or [])
    for layer_config in config["layers"]:
        if not isinstance(layer_config, dict):
            raise ValueError(f"A functional model's layer entry must be a dict. Received: "
                             f"{layer_config!r:.100}")
        inner = layer_config.get("config")
        name = layer_config.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
        if not isinstance(name, str):
            raise ValueError(f"A layer entry of the functional config has no name: {layer_config!r:.200}")
        if name in layers:
            raise ValueError(f"The functional config lists two layers named '{name}'; layer names "
                             "must be unique.")
        layer = _deserialize_layer(layer_config, custom_objects, safe_mode)
        layers[name] = layer
        inbound = layer_config.get("inbound_nodes") or []
        if not isinstance(inbound, list):
            raise ValueError(f"Layer '{name}': 'inbound_nodes' must be a list.")
        offsets[name] = (_node_offset(layer, layer_config, keras2, False),
                         _node_offset(layer, layer_config, keras2, True))
        nodes.extend((name, node, index) for index, node in enumerate(inbound))

    def key(layer_name, node_index, endpoint=False):
        """The (layer, index among its nodes here) a reference in the config means."""
        if layer_name not in layers:
            raise ValueError(f"The functional config reads from layer {layer_name!r}, which it "
                             "does not list.")
        if not isinstance(node_index, int):
            raise ValueError(f"The functional config names node {node_index!r} of layer "
                             f"'{layer_name}'; node indices are ints.")
        return layer_name, node_index - offsets[layer_name][endpoint]

    created = {}  # (layer_name, config node index) -> flat output tensors
    for name, layer in layers.items():
        if isinstance(layer, InputLayer):
            created[(name, 0)] = [layer.output]

    def decode(value):
        if isinstance(value, dict):
            kind = value.get("class_name")
            if kind == "__keras_tensor__":
                layer_name, node_index, tensor_index = value["config"]["keras_history"][:3]
                return _tensor(key(layer_name, node_index), tensor_index)
            if kind == "__slice__":
                inner = value["config"]
                return slice(decode(inner["start"]), decode(inner["stop"]), decode(inner["step"]))
            if kind == "__ellipsis__":
                return Ellipsis
            if "class_name" in value:
                return deserialize_keras_object(value, custom_objects=custom_objects,
                                                safe_mode=safe_mode)
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [decode(v) for v in value]
        return value

    def _tensor(node_key, tensor_index):
        outputs = created[node_key]
        if not isinstance(tensor_index, int) or not 0 <= tensor_index < len(outputs):
            raise ValueError(f"The functional config reads output {tensor_index!r} of node "
                             f"{node_key[1]} of layer '{node_key[0]}', which has {len(outputs)}.")
        return outputs[tensor_index]

    def call_args(layer, node_config):
        if isinstance(node_config, dict):
            return decode(node_config.get("args", [])), decode(node_config.get("kwargs", {}))
        # Keras 2: [[layer_name, node_index, tensor_index, kwargs], ...]
        tensors = [_tensor(key(*entry[:2]), entry[2]) for entry in node_config]
        kwargs = node_config[0][3] if node_config and len(node_config[0]) > 3 else {}
        kwargs = decode(dict(kwargs or {}))
        if len(tensors) > 1 and "initial_state" not in kwargs and _takes_initial_state(layer):
            # Keras 2 recurrent layers listed their initial states as extra inputs.
            return [tensors[0]], {**kwargs, "initial_state": tensors[1:]}
        return [tensors[0] if len(tensors) == 1 else tensors], kwargs

    # Dependencies: the tensors a node reads, and the same layer's previous node (calling a
    # layer appends its next node).
    waiting, missing = {}, []
    ready = deque()
    for position, (name, node_config, index) in enumerate(nodes):
        if not isinstance(node_config, (dict, list)):
            raise ValueError(f"Layer '{name}': a node must be a dict or a list. Received: "
                             f"{node_config!r:.100}")
        references = []
        _references(node_config, references)
        if not references:
            # Keras records a node only when a layer is called on symbolic tensors; a node
            # without any would run the layer on constants while loading.
            raise ValueError(f"Layer '{name}': node {index} of the functional config reads no "
                             "tensor of the model; Keras never writes such a node.")
        needs = [key(*reference) for reference in references]
        if index:
            needs.append((name, index - 1))
        pending = {need for need in needs if need not in created}
        missing.append(len(pending))
        for need in pending:
            waiting.setdefault(need, []).append(position)
        if not pending:
            ready.append(position)
    done = 0
    while ready:
        position = ready.popleft()
        name, node_config, index = nodes[position]
        args, kwargs = call_args(layers[name], node_config)
        created[(name, index)] = tree.flatten(layers[name](*args, **kwargs))
        done += 1
        for waiter in waiting.pop((name, index), ()):
            missing[waiter] -= 1
            if missing[waiter] == 0:
                ready.append(waiter)
    if done != len(nodes):
        stuck = sorted({nodes[p][0] for p, count in enumerate(missing) if count})
        absent = sorted(k for k in waiting if k not in created)[:5]
        raise ValueError(
            "Cannot rebuild the functional model: the nodes of layers "
            f"{stuck[:10]} depend on tensors that are never created (missing nodes "
            f"(layer, index): {absent}).")

    def endpoint(value, where):
        if _is_history(value):
            node_key = key(value[0], value[1], endpoint=True)
            if node_key not in created:
                raise ValueError(
                    f"The functional config's {where} name node {value[1]} of layer "
                    f"'{value[0]}', which the config does not create.")
            return _tensor(node_key, value[2])
        if isinstance(value, dict):
            return {k: endpoint(v, where) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [endpoint(v, where) for v in value]
        raise ValueError(f"The functional config's {where} must be [layer, node, tensor] "
                         f"entries. Received: {value!r:.100}")

    inputs = endpoint(config.get("input_layers"), "input_layers")
    outputs = endpoint(config.get("output_layers"), "output_layers")
    return cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))


def _legacy_entry(value):
    return _is_history(value) and (len(value) == 3 or isinstance(value[3], dict))


def _rank_change(expected, shape):
    """`"squeeze"`, `"expand"` or None: how Keras 3 reconciles an input whose rank is off by one
    from its `Input` (a trailing axis of size 1 is dropped or added)."""
    if shape is None or len(shape) == len(expected):
        return None
    if len(shape) == len(expected) + 1 and shape[-1] == 1:
        return "squeeze"
    if len(shape) == len(expected) - 1 and expected[-1] == 1:
        return "expand"
    return None
