"""`MaxPooling1D`, `MaxPooling2D`, `MaxPooling3D` (aliases `MaxPool1D`, ...)."""

from neokeras.api_export import keras_name
from neokeras.layers.pooling.base_pooling import BasePooling


@keras_name("keras.layers.MaxPooling1D", "keras.layers.MaxPool1D")
class MaxPooling1D(BasePooling):
    """1D max pooling over `(batch, steps, channels)` inputs.

    Args:
        pool_size: Int or 1-tuple, the window size (default 2).
        strides: Int or 1-tuple; None (default) means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, "max", pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)


@keras_name("keras.layers.MaxPooling2D", "keras.layers.MaxPool2D")
class MaxPooling2D(BasePooling):
    """2D max pooling over `(batch, rows, cols, channels)` inputs.

    Args:
        pool_size: Int or tuple of 2 ints, the window size (default 2x2).
        strides: Int or tuple of 2 ints; None (default) means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(2, "max", pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)


@keras_name("keras.layers.MaxPooling3D", "keras.layers.MaxPool3D")
class MaxPooling3D(BasePooling):
    """3D max pooling over `(batch, depth, rows, cols, channels)` inputs.

    Args:
        pool_size: Int or tuple of 3 ints, the window size (default 2x2x2).
        strides: Int or tuple of 3 ints; None (default) means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(3, "max", pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)
