"""`AveragePooling1D`, `AveragePooling2D`, `AveragePooling3D` (aliases `AvgPool1D`, ...)."""

from neokeras.api_export import keras_name
from neokeras.layers.pooling.base_pooling import BasePooling


@keras_name("keras.layers.AveragePooling1D", "keras.layers.AvgPool1D")
class AveragePooling1D(BasePooling):
    """1D average pooling over `(batch, steps, channels)` inputs.

    Args:
        pool_size: Int or 1-tuple, the window size.
        strides: Int or 1-tuple; None (default) means `pool_size`.
        padding: `"valid"` or `"same"`; with "same" each window averages only its real
            (unpadded) inputs.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(1, "average", pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)


@keras_name("keras.layers.AveragePooling2D", "keras.layers.AvgPool2D")
class AveragePooling2D(BasePooling):
    """2D average pooling over `(batch, rows, cols, channels)` inputs.

    Args:
        pool_size: Int or tuple of 2 ints, the window size.
        strides: Int or tuple of 2 ints; None (default) means `pool_size`.
        padding: `"valid"` or `"same"`; with "same" each window averages only its real
            (unpadded) inputs.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(2, "average", pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)


@keras_name("keras.layers.AveragePooling3D", "keras.layers.AvgPool3D")
class AveragePooling3D(BasePooling):
    """3D average pooling over `(batch, depth, rows, cols, channels)` inputs.

    Args:
        pool_size: Int or tuple of 3 ints, the window size.
        strides: Int or tuple of 3 ints; None (default) means `pool_size`.
        padding: `"valid"` or `"same"`; with "same" each window averages only its real
            (unpadded) inputs.
        data_format: `"channels_last"` (default) or `"channels_first"`.
    """

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(3, "average", pool_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)
