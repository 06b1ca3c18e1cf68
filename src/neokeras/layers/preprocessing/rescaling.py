"""`Rescaling`: multiplies inputs by `scale` and adds `offset`."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Rescaling")
class Rescaling(Layer):
    """Computes `inputs * scale + offset`, e.g. `Rescaling(1 / 255)` for pixel values.

    Args:
        scale: Scale factor (a number, or a list broadcast against the last axes).
        offset: Value added after scaling.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs):
        dtype = self.compute_dtype
        scale = ops.convert_to_tensor(self.scale, dtype=dtype)
        offset = ops.convert_to_tensor(self.offset, dtype=dtype)
        return ops.add(ops.multiply(ops.cast(inputs, dtype), scale), offset)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
