"""`UnitNormalization`: scales each sample to unit L2 norm."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.normalization._common import canonical_axes
from neokeras.layers.normalization._common import check_axis_arg


@keras_name("keras.layers.UnitNormalization")
class UnitNormalization(Layer):
    """Divides each sample by its L2 norm over `axis`: `x / max(||x||, 1e-12)`.

    Args:
        axis: Int or list of ints, the axes over which the norm is taken (default -1).
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_arg(axis, "UnitNormalization")
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        axes = canonical_axes(self.axis, len(inputs.shape), "UnitNormalization")
        squares = ops.sum(ops.square(inputs), axis=axes, keepdims=True)
        # Clamping the squared norm (not the norm) keeps the gradient finite at x = 0.
        return inputs * ops.rsqrt(ops.maximum(squares, 1e-24))

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
