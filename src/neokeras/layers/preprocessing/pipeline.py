"""`Pipeline`: applies a list of preprocessing layers in sequence."""

from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.masking import keras_mask
from neokeras.saving.serialization import deserialize_keras_object, serialize_keras_object
from neokeras.utils import tree


@keras_name("keras.layers.Pipeline")
class Pipeline(Layer):
    """Calls `layers` one after the other, like a `Sequential` meant for preprocessing.

    Unlike a model, it accepts any inputs its layers accept (dicts of images and labels,
    strings) and passes `training` through only when given.

    Args:
        layers: List of layers.
    """

    def __init__(self, layers, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self._pipeline_layers = list(layers)
        self.built = True

    @property
    def layers(self):
        return self._pipeline_layers

    @property
    def supports_jit(self):
        return all(layer.supports_jit for layer in self._pipeline_layers)

    def _convert_inputs(self, inputs):
        return inputs  # each layer converts what it accepts

    def _maybe_build(self, inputs):
        self.built = True

    def call(self, inputs, training=True, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            kwargs = {}
            if layer._call_has_mask_arg:
                kwargs["mask"] = mask
            if layer._call_has_training_arg and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            inputs = outputs
            mask = tree.map_structure(keras_mask.get_keras_mask, outputs)
        return outputs

    def get_config(self):
        return {"layers": serialize_keras_object(self._pipeline_layers), "name": self.name}

    @classmethod
    def from_config(cls, config):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError("Pipeline config must have a `layers` list of serialized layers. "
                             f"Received: layers={layers!r}")
        return cls(**{**config, "layers": [deserialize_keras_object(x) for x in layers]})
