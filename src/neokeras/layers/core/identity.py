"""`Identity`: returns its inputs unchanged (a placeholder layer)."""

from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Identity")
class Identity(Layer):
    """Returns `inputs` unchanged; masks pass through."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
