"""`LeakyReLU`: `x` for `x >= 0`, `negative_slope * x` otherwise."""

from neokeras import activations
from neokeras.api_export import keras_name
from neokeras.layers.activations._args import non_negative_number
from neokeras.layers.layer import Layer


@keras_name("keras.layers.LeakyReLU")
class LeakyReLU(Layer):
    """Leaky rectified linear unit.

    Args:
        negative_slope: Float >= 0, the slope for negative inputs (default 0.3).
        alpha: Keras 2 spelling of `negative_slope`.
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            # Keras 2 configs and programs spell it `alpha`; saved configs use the Keras 3 key.
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        self.built = True  # nothing to build (as Keras: no build_config)
        self.negative_slope = non_negative_number("LeakyReLU", "negative_slope", negative_slope)
        self.supports_masking = True

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}
