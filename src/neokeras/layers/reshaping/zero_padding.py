"""`ZeroPadding1D/2D/3D`: add zeros at the borders of the spatial axes."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer
from neokeras.layers.reshaping._spatial import normalize_data_format
from neokeras.layers.reshaping._spatial import normalize_pairs
from neokeras.layers.reshaping._spatial import spatial_axes


class _ZeroPadding(Layer):
    rank = None

    def __init__(self, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = normalize_pairs(padding, self.rank, "padding", type(self).__name__)
        self.data_format = normalize_data_format(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        pad_width = [(0, 0)] * inputs.ndim
        for axis, pair in zip(spatial_axes(self.rank, self.data_format), self.padding):
            pad_width[axis] = pair
        return ops.pad(inputs, pad_width)

    def get_config(self):
        return {**super().get_config(), "padding": [list(p) for p in self.padding],
                "data_format": self.data_format}


@keras_name("keras.layers.ZeroPadding1D")
class ZeroPadding1D(_ZeroPadding):
    """Pads the time axis of `(batch, steps, features)` inputs with zeros.

    Args:
        padding: Int or `(before, after)`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)

    def get_config(self):
        return {**super().get_config(), "padding": list(self.padding[0])}


@keras_name("keras.layers.ZeroPadding2D")
class ZeroPadding2D(_ZeroPadding):
    """Pads the height and width axes of images with zeros.

    Args:
        padding: Int, `(symmetric_height, symmetric_width)` or
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


@keras_name("keras.layers.ZeroPadding3D")
class ZeroPadding3D(_ZeroPadding):
    """Pads the three spatial axes of volumes with zeros.

    Args:
        padding: Int, 3 ints (symmetric per axis) or 3 `(before, after)` pairs.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
