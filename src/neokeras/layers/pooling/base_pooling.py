"""`BasePooling`: windowed max/average pooling over 1, 2 or 3 spatial dimensions."""

from neokeras import ops
from neokeras.layers.convolutional._args import normalize_data_format
from neokeras.layers.convolutional._args import normalize_padding
from neokeras.layers.convolutional._args import normalize_tuple
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer


class BasePooling(Layer):
    """Pools each window of `pool_size` with `pool_mode` (`"max"` or `"average"`).

    Args:
        pool_size: Int or tuple of `rank` ints, the window size.
        strides: Int or tuple; None means `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (default: `image_data_format()`).
    """

    def __init__(self, rank, pool_mode, pool_size, strides=None, padding="valid",
                 data_format=None, **kwargs):
        super().__init__(**kwargs)
        owner = type(self).__name__
        self.rank = rank
        self.pool_mode = pool_mode
        self.pool_size = normalize_tuple(pool_size, rank, "pool_size", owner)
        self.strides = (self.pool_size if strides is None
                        else normalize_tuple(strides, rank, "strides", owner))
        self.padding = normalize_padding(padding, owner)
        self.data_format = normalize_data_format(data_format, owner)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    def call(self, inputs):
        pool = ops.max_pool if self.pool_mode == "max" else ops.average_pool
        return pool(inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}

