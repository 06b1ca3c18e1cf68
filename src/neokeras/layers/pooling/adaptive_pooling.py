"""Adaptive pooling: pools to a fixed output size whatever the input size.

Output bin `i` of an axis of length `L` pooled to `n` bins covers the input range
`[floor(i * L / n), ceil((i + 1) * L / n))`, as in PyTorch and Keras.
"""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.convolutional._args import normalize_data_format
from neokeras.layers.convolutional._args import normalize_tuple
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer


def _bins(length, size):
    return [((i * length) // size, -((-(i + 1) * length) // size)) for i in range(size)]


class BaseAdaptivePooling(Layer):
    """Max or average pooling to `output_size` over `rank` spatial dimensions.

    Args:
        output_size: Int or tuple of `rank` ints, the spatial size of the output.
        data_format: `"channels_last"` or `"channels_first"` (default: `image_data_format()`).
    """

    rank = None
    reduce = None

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.output_size = normalize_tuple(output_size, self.rank, "output_size", owner)
        self.data_format = normalize_data_format(data_format, owner)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def _spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return range(first, first + self.rank)

    def call(self, inputs):
        reduce = ops.max if self.reduce == "max" else ops.mean
        x = inputs
        for axis, size in zip(self._spatial_axes(), self.output_size):
            length = x.shape[axis]
            pieces = []
            for start, stop in _bins(length, size):
                index = [slice(None)] * len(x.shape)
                index[axis] = slice(start, stop)
                pieces.append(reduce(x[tuple(index)], axis=axis, keepdims=True))
            x = ops.concatenate(pieces, axis=axis)
        return x

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, size in zip(self._spatial_axes(), self.output_size):
            shape[axis] = size
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "output_size": self.output_size,
                "data_format": self.data_format}


@keras_name("keras.layers.AdaptiveAveragePooling1D")
class AdaptiveAveragePooling1D(BaseAdaptivePooling):
    """Average pooling of `(batch, steps, channels)` inputs to `output_size` steps."""

    rank = 1
    reduce = "average"


@keras_name("keras.layers.AdaptiveAveragePooling2D")
class AdaptiveAveragePooling2D(BaseAdaptivePooling):
    """Average pooling of images to an `output_size` of `(height, width)`."""

    rank = 2
    reduce = "average"


@keras_name("keras.layers.AdaptiveAveragePooling3D")
class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    """Average pooling of volumes to an `output_size` of `(depth, height, width)`."""

    rank = 3
    reduce = "average"


@keras_name("keras.layers.AdaptiveMaxPooling1D")
class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    """Max pooling of `(batch, steps, channels)` inputs to `output_size` steps."""

    rank = 1
    reduce = "max"


@keras_name("keras.layers.AdaptiveMaxPooling2D")
class AdaptiveMaxPooling2D(BaseAdaptivePooling):
    """Max pooling of images to an `output_size` of `(height, width)`."""

    rank = 2
    reduce = "max"


@keras_name("keras.layers.AdaptiveMaxPooling3D")
class AdaptiveMaxPooling3D(BaseAdaptivePooling):
    """Max pooling of volumes to an `output_size` of `(depth, height, width)`."""

    rank = 3
    reduce = "max"
