"""`Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose`: transposed convolutions."""

import numbers

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.convolutional._args import normalize_tuple
from neokeras.layers.convolutional.base_conv import BaseConv


class _ConvTranspose(BaseConv):
    """`activation(conv_transpose(inputs, kernel) + bias)`; `kernel` is
    `(*kernel_size, filters, in_channels)`."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 output_padding=None, data_format=None, dilation_rate=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
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
        if output_padding is not None:
            output_padding = normalize_tuple(output_padding, rank, "output_padding", owner,
                                             allow_zero=True)
            if any(p >= s for p, s in zip(output_padding, self.strides)):
                raise ValueError(f"{owner}: each `output_padding` must be smaller than the "
                                 f"stride. Received: output_padding={output_padding}, "
                                 f"strides={self.strides}")
        self.filters = int(filters)
        self.output_padding = output_padding
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, channels), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self._add_bias(self.filters)
        self._lock_channels(channels)

    def call(self, inputs):
        x = ops.conv_transpose(inputs, self.kernel, strides=self.strides, padding=self.padding,
                               output_padding=self.output_padding,
                               data_format=self.data_format, dilation_rate=self.dilation_rate)
        return self._finish(x)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "output_padding": self.output_padding,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint)}


_ARGS_DOC = """
    Args:
        filters: Positive int, the number of output channels.
        kernel_size: Int or tuple, the size of the window.
        strides: Int or tuple, the upsampling factor (default 1).
        padding: `"valid"` (output `(n - 1) * stride + max(kernel, stride)`) or `"same"`
            (output `n * stride`).
        output_padding: None, or int/tuple smaller than the stride: sets the output size to
            `(n - 1) * stride + kernel - 2 * pad + output_padding` (`pad` is 0 for "valid",
            `kernel // 2` for "same").
        data_format: `"channels_last"` (default) or `"channels_first"`.
        dilation_rate: Int or tuple, the dilation of the window.
        activation: Activation name or callable; None means linear.
        use_bias: Whether to add a bias vector.
        kernel_initializer, bias_initializer: Initializers (`"glorot_uniform"`, `"zeros"`).
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.
"""


@keras_name("keras.layers.Conv1DTranspose")
class Conv1DTranspose(_ConvTranspose):
    __doc__ = "Transposed 1D convolution (upsampling `(batch, steps, channels)`).\n" + _ARGS_DOC

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, output_padding, data_format,
                         dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


@keras_name("keras.layers.Conv2DTranspose")
class Conv2DTranspose(_ConvTranspose):
    __doc__ = "Transposed 2D convolution (upsampling images).\n" + _ARGS_DOC

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, output_padding, data_format,
                         dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


@keras_name("keras.layers.Conv3DTranspose")
class Conv3DTranspose(_ConvTranspose):
    __doc__ = "Transposed 3D convolution (upsampling volumes).\n" + _ARGS_DOC

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1, 1),
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, output_padding, data_format,
                         dilation_rate, activation, use_bias, kernel_initializer,
                         bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, **kwargs)
