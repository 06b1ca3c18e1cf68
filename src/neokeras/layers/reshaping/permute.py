"""`Permute`: reorders the non-batch dimensions."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Permute")
class Permute(Layer):
    """Permutes the dimensions of the input according to `dims` (1-indexed, batch excluded).

    Args:
        dims: Tuple of ints, a permutation of `1..ndim-1`; `(2, 1)` swaps the two axes of a
            3D input.

    Input shape: `(batch, d1, ..., dn)`. Output shape: dimensions reordered by `dims`.
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(int(d) for d in dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                f"Permute '{self.name}': `dims` must be a permutation of 1..{len(dims)} "
                f"(the batch axis is not counted). Received: dims={dims}")
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)
        self.supports_masking = True

    def call(self, inputs):
        return ops.transpose(inputs, (0,) + self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": list(self.dims)}
