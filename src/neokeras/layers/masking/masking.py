"""`Masking`: marks the timesteps whose features all equal `mask_value` as padding."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Masking")
class Masking(Layer):
    """Masks (skips) every timestep whose features all equal `mask_value`.

    The output is the input with masked steps zeroed, and carries a boolean mask
    `(batch, timesteps)` for downstream layers (e.g. `LSTM`).

    Args:
        mask_value: The padding value.
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, previous_mask=None):
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        return inputs * ops.cast(keep, inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
