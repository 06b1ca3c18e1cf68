"""`ReLU`: rectified linear unit with optional cap, leak and threshold."""

from neokeras import activations
from neokeras.api_export import keras_name
from neokeras.layers.activations._args import non_negative_number
from neokeras.layers.layer import Layer


@keras_name("keras.layers.ReLU")
class ReLU(Layer):
    """Rectified linear unit.

    `f(x) = max_value` for `x >= max_value`, `x` for `threshold <= x < max_value`, and
    `negative_slope * (x - threshold)` otherwise.

    Args:
        max_value: Float >= 0, the largest output; None means no cap.
        negative_slope: Float >= 0, slope below the threshold.
        threshold: Float >= 0, the value below which the output is damped.
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.built = True  # nothing to build (as Keras: no build_config)
        self.max_value = non_negative_number("ReLU", "max_value", max_value, allow_none=True)
        self.negative_slope = non_negative_number("ReLU", "negative_slope", negative_slope)
        self.threshold = non_negative_number("ReLU", "threshold", threshold)
        self.supports_masking = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}
