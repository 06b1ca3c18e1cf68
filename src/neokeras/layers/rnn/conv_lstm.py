"""`ConvLSTM1D/2D/3D`: LSTMs whose input and recurrent transformations are convolutions."""

import numbers

from neokeras import activations
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.convolutional._args import normalize_data_format
from neokeras.layers.convolutional._args import normalize_padding
from neokeras.layers.convolutional._args import normalize_tuple
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.rnn.dropout_rnn_cell import RecurrentCell
from neokeras.layers.rnn.lstm import _ForgetBiasInitializer
from neokeras.layers.rnn.rnn import BuiltinRNN


class ConvLSTMCell(RecurrentCell):
    """One ConvLSTM step over frames of rank `rank`; states are `[h, c]` feature maps.

    Gates are in the order i, f, c, o, as in `LSTMCell`. Input convolutions use `strides`,
    `padding` and `dilation_rate`; recurrent convolutions are stride-1 `"same"` convolutions.
    """

    _seed_generator_first = True

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, unit_forget_bias=True, **kwargs):
        if isinstance(filters, bool) or not isinstance(filters, numbers.Integral) or filters <= 0:
            raise ValueError(f"ConvLSTM{rank}D(filters=...) must be a positive int. "
                             f"Received: filters={filters!r}")
        super().__init__(int(filters), activation=activation, use_bias=use_bias, **kwargs)
        owner = f"ConvLSTM{rank}D"
        self.rank = rank
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size", owner)
        self.strides = normalize_tuple(strides, rank, "strides", owner)
        self.padding = normalize_padding(padding, owner)
        self.data_format = normalize_data_format(data_format, owner)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate", owner)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{owner}: strides > 1 cannot be combined with dilation_rate > 1. "
                             f"Received: strides={self.strides}, "
                             f"dilation_rate={self.dilation_rate}")
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        # Two feature-map states `[h, c]` of `filters` channels (shapes: get_initial_state).
        self.state_size = [self.filters, self.filters]

    def build(self, input_shape):
        channel_axis = -1 if self.data_format == "channels_last" else 1
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        if None in spatial or input_shape[channel_axis] is None:
            raise ValueError(
                f"ConvLSTM{self.rank}D '{self.name}' needs static spatial and channel sizes. "
                f"Received frame shape {tuple(input_shape)}")
        self.spatial_dims = tuple(spatial)
        self.input_dim = input_shape[channel_axis]
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.input_dim, 4 * self.filters), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, 4 * self.filters), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        initializer = None
        if self.unit_forget_bias:
            initializer = _ForgetBiasInitializer(self.bias_initializer, self.filters)
        self._add_bias((4 * self.filters,), initializer)

    def _state_shape(self, batch_size):
        sizes = []
        for size, k, s, d in zip(self.spatial_dims, self.kernel_size, self.strides,
                                 self.dilation_rate):
            extent = (k - 1) * d + 1
            sizes.append(-(-size // s) if self.padding == "same" else (size - extent) // s + 1)
        if self.data_format == "channels_last":
            return (batch_size, *sizes, self.filters)
        return (batch_size, self.filters, *sizes)

    def get_initial_state(self, batch_size=None):
        shape = self._state_shape(batch_size)
        return [ops.zeros(shape, dtype=self.compute_dtype), ops.zeros(shape, dtype=self.compute_dtype)]

    def call(self, inputs, states, training=False):
        h_previous, c_previous = states[0], states[1]
        inputs, recurrent_in = self._apply_dropout(inputs, h_previous, training)
        z = ops.conv(inputs, self.kernel, strides=self.strides, padding=self.padding,
                     data_format=self.data_format, dilation_rate=self.dilation_rate)
        z = z + ops.conv(recurrent_in, self.recurrent_kernel, strides=1, padding="same",
                         data_format=self.data_format)
        channel_axis = -1 if self.data_format == "channels_last" else 1
        if self.bias is not None:
            shape = [1] * len(z.shape)
            shape[channel_axis] = 4 * self.filters
            z = z + ops.reshape(self.bias, shape)
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=channel_axis)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_previous + i * self.activation(z_c)
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config.pop("units")
        return {**config, "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


class ConvLSTM(BuiltinRNN):
    """A ConvLSTM layer over `rank`-dimensional frames: inputs `(batch, time, *frame)`.

    Args: as `ConvLSTM2D`.
    """

    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(
            self.rank, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def __getattr__(self, name):
        cell = self.__dict__.get("cell")
        if cell is not None and name in _CONV_ATTRIBUTES:
            return getattr(cell, name)
        return super().__getattr__(name)


_CONV_ATTRIBUTES = {"filters", "kernel_size", "strides", "padding", "data_format",
                    "dilation_rate", "unit_forget_bias"}


@keras_name("keras.layers.ConvLSTM1D")
class ConvLSTM1D(ConvLSTM):
    """ConvLSTM over 1D frames: inputs `(batch, time, steps, channels)` (channels_last).

    Args:
        filters: Number of output channels.
        kernel_size, strides, dilation_rate: Int or tuple of 1 int.
        padding: `"valid"` or `"same"` for the input convolution.
        data_format: `"channels_last"` or `"channels_first"`.
        activation, recurrent_activation, use_bias, unit_forget_bias, *_initializer,
            *_regularizer, *_constraint, dropout, recurrent_dropout, seed: As in `LSTM`.
        return_sequences, return_state, go_backwards, stateful: As in `RNN`.
    """

    rank = 1


@keras_name("keras.layers.ConvLSTM2D")
class ConvLSTM2D(ConvLSTM):
    """ConvLSTM over images: inputs `(batch, time, rows, cols, channels)` (channels_last).

    Args: as `ConvLSTM1D`, with 2-tuples for the window arguments.
    """

    rank = 2


@keras_name("keras.layers.ConvLSTM3D")
class ConvLSTM3D(ConvLSTM):
    """ConvLSTM over volumes: inputs `(batch, time, d1, d2, d3, channels)` (channels_last).

    Args: as `ConvLSTM1D`, with 3-tuples for the window arguments.
    """

    rank = 3
