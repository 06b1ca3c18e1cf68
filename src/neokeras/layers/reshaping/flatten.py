"""`Flatten`: collapses all but the batch dimension."""

import math

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Flatten")
class Flatten(Layer):
    """Reshapes `(batch, d1, d2, ...)` to `(batch, d1 * d2 * ...)`.

    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`; with channels_first the
            channels axis is moved last before flattening, so weights are format independent.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        from neokeras import config

        self.data_format = data_format or config.image_data_format()

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = ops.moveaxis(inputs, 1, -1)
        return ops.reshape(inputs, (inputs.shape[0], math.prod(inputs.shape[1:])))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
