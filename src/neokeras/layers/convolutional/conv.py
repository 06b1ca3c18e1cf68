"""`Conv1D`, `Conv2D`, `Conv3D`: N-D (grouped, dilated, strided) convolutions."""

import numbers

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.convolutional.base_conv import BaseConv


class _Conv(BaseConv):
    """`activation(conv(inputs, kernel) + bias)`; `kernel` is
    `(*kernel_size, in_channels // groups, filters)`."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 **kwargs):
        super().__init__(rank, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        owner = type(self).__name__
        if isinstance(filters, bool) or not isinstance(filters, numbers.Integral) or filters <= 0:
            raise ValueError(f"{owner}: `filters` must be a positive int. "
                             f"Received: filters={filters!r}")
        if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or groups <= 0:
            raise ValueError(f"{owner}: `groups` must be a positive int. "
                             f"Received: groups={groups!r}")
        if filters % groups:
            raise ValueError(f"{owner}: `filters` must be divisible by `groups`. "
                             f"Received: filters={filters}, groups={groups}")
        if lora_rank is not None or lora_alpha is not None:
            raise NotImplementedError(f"{owner}: LoRA is not supported.")
        self.filters = int(filters)
        self.groups = int(groups)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"{type(self).__name__} '{self.name}': the number of input channels must be "
                f"divisible by groups={self.groups}. Received input_shape={input_shape}")
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels // self.groups, self.filters), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self._add_bias(self.filters)
        self._lock_channels(channels)

    def call(self, inputs):
        padding = self.padding
        if padding == "causal":
            # Pad the past only, so that output t never sees inputs after t.
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            pads = [(0, 0), (left, 0), (0, 0)]
            if self.data_format == "channels_first":
                pads = [(0, 0), (0, 0), (left, 0)]
            inputs = ops.pad(inputs, pads)
            padding = "valid"
        x = ops.conv(inputs, self.kernel, strides=self.strides, padding=padding,
                     data_format=self.data_format, dilation_rate=self.dilation_rate)
        return self._finish(x)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "groups": self.groups,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint)}


_ARGS_DOC = """
    Args:
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple, the size of the convolution window.
        strides: Int or tuple, the stride of the window (default 1).
        padding: {paddings}.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: Int or tuple, the dilation of the window (strides must then be 1).
        groups: Positive int; channels are split into `groups` independent convolutions.
        activation: Activation name or callable; None means linear.
        use_bias: Whether to add a bias vector.
        kernel_initializer, bias_initializer: Initializers (`"glorot_uniform"`, `"zeros"`).
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.
"""


@keras_name("keras.layers.Conv1D")
class Conv1D(_Conv):
    __doc__ = ("1D convolution over `(batch, steps, channels)` inputs.\n"
               + _ARGS_DOC.format(paddings='`"valid"`, `"same"` or `"causal"` (left padding: '
                                  'output t depends on inputs up to t only)'))

    _paddings = ("valid", "same", "causal")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)


@keras_name("keras.layers.Conv2D")
class Conv2D(_Conv):
    __doc__ = ("2D convolution over `(batch, rows, cols, channels)` images.\n"
               + _ARGS_DOC.format(paddings='`"valid"` or `"same"`'))

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)


@keras_name("keras.layers.Conv3D")
class Conv3D(_Conv):
    __doc__ = ("3D convolution over `(batch, depth, rows, cols, channels)` volumes.\n"
               + _ARGS_DOC.format(paddings='`"valid"` or `"same"`'))

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1, 1), groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         groups, activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, **kwargs)
