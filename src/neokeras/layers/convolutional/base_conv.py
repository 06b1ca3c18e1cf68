"""`BaseConv`: what every convolution layer shares (geometry, bias, activation, config)."""

from neokeras import activations
from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.layers.convolutional._args import normalize_data_format
from neokeras.layers.convolutional._args import normalize_padding
from neokeras.layers.convolutional._args import normalize_tuple
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer


class BaseConv(Layer):
    """Base of the N-D convolution layers; subclasses create their kernels in `build`.

    Args:
        rank: Number of spatial dimensions (1, 2 or 3).
        kernel_size: Int or tuple of `rank` ints.
        strides: Int or tuple of `rank` ints.
        padding: `"valid"`, `"same"` (or `"causal"` where the subclass allows it).
        data_format: `"channels_last"` or `"channels_first"` (default: `image_data_format()`).
        dilation_rate: Int or tuple of `rank` ints.
        activation: Activation name or callable; None means linear.
        use_bias: Whether to add a bias vector.
        bias_initializer, bias_regularizer, bias_constraint: For the bias.
        activity_regularizer: Regularizer applied to the output.
    """

    _paddings = ("valid", "same")

    def __init__(self, rank, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, bias_initializer="zeros",
                 bias_regularizer=None, activity_regularizer=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        owner = type(self).__name__
        self.rank = rank
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size", owner)
        self.strides = normalize_tuple(strides, rank, "strides", owner)
        self.padding = normalize_padding(padding, owner, self._paddings)
        self.data_format = normalize_data_format(data_format, owner)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate", owner)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{owner}: strides > 1 cannot be combined with dilation_rate > 1. "
                             f"Received: strides={self.strides}, "
                             f"dilation_rate={self.dilation_rate}")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=rank + 2)

    @property
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def _input_channels(self, input_shape):
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' needs a known channel "
                             f"dimension. Received input_shape={input_shape}")
        return channels

    def _lock_channels(self, channels):
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def _add_bias(self, bias_size):
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(bias_size,), name="bias",
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def _finish(self, x):
        """Adds the bias (along the channel axis) and applies the activation."""
        if self.bias is not None:
            bias = self.bias
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (-1,) + (1,) * self.rank)
            x = x + bias
        return self.activation(x)

    def get_config(self):
        return {**super().get_config(), "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "bias_constraint": constraints.serialize(self.bias_constraint)}
