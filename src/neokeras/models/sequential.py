"""`Sequential`: a linear stack of layers, each feeding the next."""

from neokeras.api_export import keras_name
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.layers.core.input_layer import InputLayer
from neokeras.layers.layer import Layer
from neokeras.models.model import Model


@keras_name("keras.Sequential", "keras.models.Sequential")
class Sequential(Model):
    """A model that applies its layers one after the other.

    Args:
        layers: Optional list of layers to add.
        trainable: Whether the model's weights are trained.
        name: Model name.

    The first layer may carry the input shape (`Dense(32, input_shape=(784,))` or
    `input_dim=784`), or the stack may start with `keras.Input(...)`; otherwise the model is
    built from the first data it sees.
    """

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack = []
        self._input_layer = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Appends a layer (or a `keras.Input` tensor) to the stack."""
        if isinstance(layer, KerasTensor):
            history = layer._keras_history
            if history is None or not isinstance(history[0], InputLayer):
                raise ValueError("Sequential.add accepts layers and keras.Input() tensors only.")
            layer = history[0]
        if not isinstance(layer, Layer):
            raise TypeError(
                f"Sequential.add expects a Layer instance. Received: {layer!r} "
                f"of type {type(layer).__name__}.")
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError(
                    f"Sequential '{self.name}': an InputLayer can only be the first layer.")
            self._input_layer = layer
        else:
            if any(layer is existing for existing in self._stack):
                raise ValueError(f"Layer '{layer.name}' is already in Sequential '{self.name}'.")
            names = {existing.name for existing in self._stack}
            if layer.name in names:
                raise ValueError(
                    f"Sequential '{self.name}' already has a layer named '{layer.name}'; "
                    "layer names must be unique.")
            if not self._stack and self._input_layer is None and layer._batch_input_shape is not None:
                self._input_layer = InputLayer(batch_shape=layer._batch_input_shape,
                                               dtype=layer.dtype if layer.dtype else None)
            self._stack.append(layer)
            self._track(layer)
        self.built = False
        self._functions = {}
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self._stack:
            raise IndexError(f"Sequential '{self.name}' has no layers to pop.")
        layer = self._stack.pop()
        self._tracked_layers = [t for t in self._tracked_layers if t is not layer]
        self.built = False
        self._functions = {}
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        if self._input_layer is not None and self._stack:
            self.build(self._input_layer.batch_shape)

    @property
    def layers(self):
        """The layers of the stack; the input layer is not counted."""
        return list(self._stack)

    @layers.setter
    def layers(self, _):
        raise AttributeError("`Sequential.layers` attribute is reserved and should not be used. "
                             "Use `add()` and `pop()` to change the layers in this model.")

    def build(self, input_shape=None):
        """Builds every layer by propagating `input_shape` through the stack."""
        if input_shape is None:
            if self._input_layer is None:
                raise ValueError(
                    f"Sequential '{self.name}' has no input shape. Give the first layer an "
                    "input_shape, start with keras.Input(shape=...), or pass build(input_shape).")
            input_shape = self._input_layer.batch_shape
        input_shape = tuple(input_shape)
        if self._input_layer is None:
            self._input_layer = InputLayer(batch_shape=input_shape)
        elif tuple(self._input_layer.batch_shape) != input_shape and self.built:
            return
        self._build_shapes = input_shape
        # Calling the stack on the input layer's tensor records the functional graph, so that
        # `model.layers[i].output` can start a new model (feature extraction, Grad-CAM, ...).
        spec = self._input_layer.output
        for layer in self._stack:
            spec = _symbolic_output(layer, spec)
            layer._output_spec = spec
        self._output_spec = spec
        self.built = True

    def call(self, inputs, training=None):
        x = inputs
        # An unset `training` is not passed, so each layer falls back to its own default.
        kwargs = {} if training is None else {"training": training}
        for layer in self._stack:
            x = layer(x, **kwargs)
        return x

    @property
    def input_shape(self):
        if self._input_layer is None:
            raise AttributeError(
                f"Sequential '{self.name}' has no defined input shape yet: it is built on the "
                "first data it sees.")
        return tuple(self._input_layer.batch_shape)

    @property
    def output_shape(self):
        if not self.built:
            raise AttributeError(f"Sequential '{self.name}' is not built yet.")
        return tuple(self._output_spec.shape)

    def _check_input_spec(self, inputs):
        # Errors name the first layer, whose expectation the data failed.
        if self._stack:
            self._stack[0]._check_input_spec(inputs)

    @property
    def inputs(self):
        """The input tensor (in a list) of a model whose input shape is known."""
        if self._input_layer is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined inputs yet.")
        return [self._input_layer.output]

    @property
    def outputs(self):
        if not self.built:  # as Keras: no attribute until the model is built
            raise AttributeError(f"Sequential model '{self.name}' has no defined outputs yet.")
        return [self._output_spec]

    @property
    def input(self):
        if self._input_layer is None:
            raise AttributeError(f"Sequential '{self.name}' has no input yet: give it an input "
                                 "shape or call it on data first.")
        return self._input_layer.output

    @property
    def output(self):
        if not self.built:
            raise AttributeError(f"Sequential '{self.name}' has no output yet: give it an input "
                                 "shape or call it on data first.")
        return self._output_spec

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        layers = [serialize_keras_object(layer) for layer in self._stack]
        if self._input_layer is not None:
            layers.insert(0, serialize_keras_object(self._input_layer))
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": super().get_config()["dtype"], "layers": layers}
        if self._build_shapes is not None:
            config["build_input_shape"] = list(self._build_shapes)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving import limits
        from neokeras.saving.serialization import deserialize_keras_object

        if isinstance(config, list):  # Keras 2.2 wrote a Sequential config as its layer list
            config = {"layers": config}
        if not isinstance(config, dict) or not isinstance(config.get("layers", []), list):
            raise ValueError(f"A Sequential config must be a dict with a 'layers' list. "
                             f"Received: {config!r:.100}")
        limits.check_layer_count(len(config.get("layers", [])), "The Sequential config")
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config.get("layers", []):
            model.add(deserialize_keras_object(layer_config, custom_objects=custom_objects),
                      rebuild=False)
        model._maybe_rebuild()
        if not model.built and config.get("build_input_shape"):
            model.build(tuple(config["build_input_shape"]))
        return model


def _symbolic_output(layer, tensor):
    """`layer(tensor)` on a symbolic tensor, reusing the node of an earlier build if any."""
    plain = layer._node_kwargs((tensor,), {})  # what a call without keywords records
    for node in layer._inbound_nodes:
        if len(node.call_args) == 1 and node.call_args[0] is tensor and \
                node.call_kwargs.keys() == plain.keys() and \
                all(node.call_kwargs[k] is plain[k] for k in plain):
            return node.outputs
    return layer(tensor)
