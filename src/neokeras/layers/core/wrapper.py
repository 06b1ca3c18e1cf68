"""`Wrapper`: base class of layers that wrap another layer (`TimeDistributed`, ...)."""

from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Wrapper")
class Wrapper(Layer):
    """Abstract base of layers that augment another layer.

    Args:
        layer: The wrapped `Layer`.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"{type(self).__name__}(layer=...) expects a Layer instance. Received: {layer!r}")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {**super().get_config(), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
