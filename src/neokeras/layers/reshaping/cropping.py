"""`Cropping1D/2D/3D`: remove rows/columns/planes at the borders of the spatial axes."""

from neokeras.api_export import keras_name
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer
from neokeras.layers.reshaping._spatial import normalize_data_format
from neokeras.layers.reshaping._spatial import normalize_pairs
from neokeras.layers.reshaping._spatial import spatial_axes


class _Cropping(Layer):
    rank = None

    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = normalize_pairs(cropping, self.rank, "cropping", type(self).__name__)
        self.data_format = normalize_data_format(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        index = [slice(None)] * inputs.ndim
        for axis, (before, after) in zip(spatial_axes(self.rank, self.data_format), self.cropping):
            size = inputs.shape[axis]
            if size is not None and before + after >= size:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': cropping {(before, after)} removes all "
                    f"of axis {axis} (size {size}) of input shape {tuple(inputs.shape)}.")
            index[axis] = slice(before, size - after)
        return inputs[tuple(index)]

    def get_config(self):
        return {**super().get_config(), "cropping": [list(p) for p in self.cropping],
                "data_format": self.data_format}


@keras_name("keras.layers.Cropping1D")
class Cropping1D(_Cropping):
    """Crops the time axis of `(batch, steps, features)` inputs.

    Args:
        cropping: Int or `(before, after)`: steps removed at the start and at the end.
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        config["cropping"] = list(self.cropping[0])
        return config


@keras_name("keras.layers.Cropping2D")
class Cropping2D(_Cropping):
    """Crops the height and width axes of images.

    Args:
        cropping: Int, `(symmetric_height, symmetric_width)` or
            `((top, bottom), (left, right))`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


@keras_name("keras.layers.Cropping3D")
class Cropping3D(_Cropping):
    """Crops the three spatial axes of volumes.

    Args:
        cropping: Int, 3 ints (symmetric per axis) or 3 `(before, after)` pairs.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
