"""`DepthwiseConv1D`, `DepthwiseConv2D`: per-channel convolutions."""

import numbers

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.convolutional.base_conv import BaseConv


class _DepthwiseConv(BaseConv):
    """Convolves each input channel with its own `depth_multiplier` filters; `kernel` is
    `(*kernel_size, in_channels, depth_multiplier)`."""

    def __init__(self, rank, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        if (isinstance(depth_multiplier, bool)
                or not isinstance(depth_multiplier, numbers.Integral) or depth_multiplier <= 0):
            raise ValueError(f"{type(self).__name__}: `depth_multiplier` must be a positive "
                             f"int. Received: depth_multiplier={depth_multiplier!r}")
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier), name="kernel",
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self._add_bias(channels * self.depth_multiplier)
        self._lock_channels(channels)

    def call(self, inputs):
        x = ops.depthwise_conv(inputs, self.kernel, strides=self.strides, padding=self.padding,
                               data_format=self.data_format, dilation_rate=self.dilation_rate)
        return self._finish(x)

    def get_config(self):
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
                "depthwise_constraint": constraints.serialize(self.depthwise_constraint)}


_ARGS_DOC = """
    Args:
        kernel_size: Int or tuple, the size of the window.
        strides: Int or tuple, the stride of the window (default 1).
        padding: `"valid"` or `"same"`.
        depth_multiplier: Output channels per input channel (default 1).
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: Int or tuple, the dilation of the window.
        activation: Activation name or callable; None means linear.
        use_bias: Whether to add a bias vector (`in_channels * depth_multiplier` values).
        depthwise_initializer, bias_initializer: Initializers.
        depthwise_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        depthwise_constraint, bias_constraint: Optional constraints.
"""


@keras_name("keras.layers.DepthwiseConv1D")
class DepthwiseConv1D(_DepthwiseConv):
    __doc__ = "Depthwise 1D convolution over `(batch, steps, channels)`.\n" + _ARGS_DOC

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, kernel_size, strides, padding, depth_multiplier, data_format,
                         dilation_rate, activation, use_bias, depthwise_initializer,
                         bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)


@keras_name("keras.layers.DepthwiseConv2D")
class DepthwiseConv2D(_DepthwiseConv):
    __doc__ = "Depthwise 2D convolution over images.\n" + _ARGS_DOC

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, kernel_size, strides, padding, depth_multiplier, data_format,
                         dilation_rate, activation, use_bias, depthwise_initializer,
                         bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)
