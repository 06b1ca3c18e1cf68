"""`Reshape`: gives the non-batch dimensions a new shape."""

import math

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Reshape")
class Reshape(Layer):
    """Reshapes inputs to `(batch,) + target_shape`; one entry may be -1 (inferred).

    Args:
        target_shape: Tuple of ints, the shape without the batch dimension.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(None if d is None else int(d) for d in target_shape)
        if sum(1 for d in target_shape if d == -1) > 1:
            raise ValueError(
                f"Reshape '{self.name}': at most one dimension of target_shape may be -1. "
                f"Received: target_shape={target_shape}")
        self.target_shape = target_shape
        self.built = True

    def _resolved_shape(self, input_shape):
        size = math.prod(input_shape[1:])
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if known == 0 or size % known:
                raise ValueError(self._mismatch(input_shape))
            return tuple(size // known if d == -1 else d for d in self.target_shape)
        if known != size:
            raise ValueError(self._mismatch(input_shape))
        return self.target_shape

    def _mismatch(self, input_shape):
        return (f"Reshape '{self.name}' cannot reshape input of shape {tuple(input_shape)} "
                f"({math.prod(input_shape[1:])} values per sample) to target_shape "
                f"{self.target_shape}.")

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0],) + self._resolved_shape(inputs.shape))

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}
