"""`UpSampling1D/2D/3D`: enlarge the spatial axes by integer factors."""

import numpy as np

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.convolutional._args import normalize_tuple
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer
from neokeras.layers.reshaping._spatial import normalize_data_format
from neokeras.layers.reshaping._spatial import spatial_axes


def _linear_weights(size, factor):
    """The `(size * factor, size)` matrix of linear interpolation with half-pixel centers
    (edges repeat the border value), as image resizing defines bilinear up-sampling."""
    out = np.arange(size * factor)
    position = np.clip((out + 0.5) / factor - 0.5, 0, size - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, size - 1)
    frac = position - low
    weights = np.zeros((size * factor, size), "float32")
    np.add.at(weights, (out, low), 1 - frac)
    np.add.at(weights, (out, high), frac)
    return weights


class _UpSampling(Layer):
    rank = None

    def __init__(self, size, data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.size = normalize_tuple(size, self.rank, "size", owner)
        self.data_format = normalize_data_format(data_format, owner)
        if interpolation not in ("nearest", "bilinear"):
            raise ValueError(f"{owner}: `interpolation` must be 'nearest' or 'bilinear'. "
                             f"Received: interpolation={interpolation!r}")
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        x = inputs
        for axis, factor in zip(spatial_axes(self.rank, self.data_format), self.size):
            if factor == 1:
                continue
            if self.interpolation == "nearest":
                x = ops.repeat(x, factor, axis=axis)
            else:
                weights = ops.convert_to_tensor(_linear_weights(x.shape[axis], factor),
                                                dtype=x.dtype)
                x = ops.moveaxis(ops.tensordot(x, weights, axes=[[axis], [1]]), -1, axis)
        return x


@keras_name("keras.layers.UpSampling1D")
class UpSampling1D(_UpSampling):
    """Repeats each time step `size` times: `(batch, steps, features)` ->
    `(batch, steps * size, features)`.

    Args:
        size: Positive int, the repetition factor.
    """

    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(size, data_format="channels_last", **kwargs)

    def get_config(self):
        return {**super().get_config(), "size": self.size[0]}


@keras_name("keras.layers.UpSampling2D")
class UpSampling2D(_UpSampling):
    """Enlarges images by `size` along height and width.

    Args:
        size: Int or `(height_factor, width_factor)`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        interpolation: `"nearest"` (repeat pixels) or `"bilinear"`.
    """

    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, interpolation, **kwargs)

    def get_config(self):
        return {**super().get_config(), "size": list(self.size), "data_format": self.data_format,
                "interpolation": self.interpolation}


@keras_name("keras.layers.UpSampling3D")
class UpSampling3D(_UpSampling):
    """Enlarges volumes by repeating entries `size` times along each spatial axis.

    Args:
        size: Int or 3 ints.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, **kwargs)

    def get_config(self):
        return {**super().get_config(), "size": list(self.size), "data_format": self.data_format}
