"""`TimeDistributed`: applies a layer to every timestep of a sequence."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.TimeDistributed")
class TimeDistributed(Layer):
    """Applies `layer` independently to each slice `inputs[:, t]`.

    Args:
        layer: The layer to apply (its weights are shared across timesteps).

    Input shape: `(batch, timesteps, ...)`. Output shape: `(batch, timesteps, ...)`, the
    trailing dimensions being those of `layer`'s output.
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed(layer=...) expects a Layer. Received: {layer!r}")
        self.layer = layer
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(
                f"TimeDistributed '{self.name}' expects inputs of rank >= 3 "
                f"(batch, timesteps, ...). Received input_shape={tuple(input_shape)}")
        if not self.layer.built:
            self.layer.build((input_shape[0],) + tuple(input_shape[2:]))
            self.layer.built = True

    def call(self, inputs, training=None):
        batch, steps = ops.shape(inputs)[0], ops.shape(inputs)[1]
        flat = ops.reshape(inputs, (-1,) + tuple(inputs.shape[2:]))
        outputs = self.layer(flat, training=training)
        return ops.reshape(outputs, (batch, steps) + tuple(outputs.shape[1:]))

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        return cls(**config)
