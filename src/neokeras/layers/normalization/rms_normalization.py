"""`RMSNormalization`: scales inputs by the inverse root mean square over some axes."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.normalization._common import canonical_axes
from neokeras.layers.normalization._common import check_axis_arg
from neokeras.layers.normalization._common import upcast


@keras_name("keras.layers.RMSNormalization")
class RMSNormalization(Layer):
    """Root mean square normalization: `x * rsqrt(mean(x**2, axis) + epsilon) * scale`.

    Args:
        axis: Int or list of ints, the axes to normalize over (default -1); `scale` has their
            sizes.
        epsilon: Small float added to the mean square (default 1e-6).
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_arg(axis, "RMSNormalization")
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        axes = canonical_axes(self.axis, len(input_shape), f"RMSNormalization '{self.name}'")
        self._axes = axes
        self.scale = self.add_weight(shape=tuple(input_shape[a] for a in axes), name="scale",
                                     initializer="ones")

    def call(self, inputs):
        x = upcast(inputs)
        rrms = ops.rsqrt(ops.mean(ops.square(x), axis=self._axes, keepdims=True) + self.epsilon)
        shape = [1] * len(x.shape)
        for a, size in zip(self._axes, self.scale.shape):
            shape[a] = size
        outputs = x * rrms * ops.reshape(ops.cast(self.scale, x.dtype), shape)
        return ops.cast(outputs, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
