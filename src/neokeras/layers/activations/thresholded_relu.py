"""`ThresholdedReLU` (Keras 2): `x` for `x > theta`, 0 otherwise."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.activations._args import non_negative_number
from neokeras.layers.layer import Layer


@keras_name("keras.layers.ThresholdedReLU")
class ThresholdedReLU(Layer):
    """Thresholded rectified linear unit: `x` where `x > theta`, else 0.

    Args:
        theta: Float >= 0, the threshold (default 1.0).
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError("ThresholdedReLU(theta=...) must be a number >= 0. Received: None")
        self.theta = non_negative_number("ThresholdedReLU", "theta", theta)
        self.supports_masking = True

    def call(self, inputs):
        return ops.where(inputs > self.theta, inputs, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "theta": self.theta}
