"""`LSTMCell` and `LSTM`: long short-term memory, gates in the order i, f, c, o."""

from neokeras import activations
from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.rnn.dropout_rnn_cell import RecurrentCell
from neokeras.layers.rnn.rnn import BuiltinRNN
from neokeras.layers.rnn.rnn import cell_kwargs


class _ForgetBiasInitializer:
    """Bias `[b_i, 1, b_c, b_o]`: the forget gate starts open (`unit_forget_bias=True`)."""

    def __init__(self, base, units):
        self.base, self.units = base, units

    def __call__(self, shape, dtype=None):
        units = self.units
        return ops.concatenate([self.base((units,), dtype=dtype), ops.ones((units,), dtype=dtype),
                                self.base((2 * units,), dtype=dtype)])


@keras_name("keras.layers.LSTMCell")
class LSTMCell(RecurrentCell):
    """One LSTM step; states are `[h, c]`, the output is `h`.

    Args:
        units: Positive int, dimension of the output and of each state.
        activation: Activation of the candidate and the output (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether to add a bias.
        unit_forget_bias: Initialize the forget-gate bias to 1 (and the rest with
            `bias_initializer`).
        kernel_initializer, recurrent_initializer, bias_initializer, *_regularizer,
            *_constraint, dropout, recurrent_dropout, seed: As in `SimpleRNNCell`.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [units, units]

    def build(self, input_shape):
        self._add_kernels(input_shape[-1], 4)
        initializer = None
        if self.unit_forget_bias:
            initializer = _ForgetBiasInitializer(self.bias_initializer, self.units)
        self._add_bias((4 * self.units,), initializer)

    def call(self, inputs, states, training=False):
        inputs, recurrent_in = self._apply_dropout(inputs, states[0], training)
        return self._step(self._project(inputs), recurrent_in, states)

    _split_call = call

    def _step(self, projected, recurrent_in, states):
        c_previous = states[1]
        z = projected + ops.matmul(recurrent_in, self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_previous + i * self.activation(z_c)
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)
        return h, [h, c]

    def _fused_sequence(self, steps, states, return_sequences):
        """`(outputs, h, c)` of the whole time-major sequence in one backend operation, or None
        where that does not apply (another backend choice, other activations, recurrent
        dropout, a subclass with its own `call`). `outputs` is the last `h` unless
        `return_sequences`."""
        if not (self._splits_steps() and backend.rnn_ops.fuses_lstm()
                and self.activation is activations.tanh
                and self.recurrent_activation is activations.sigmoid
                and self.compute_dtype == "float32"
                and all(backend.standardize_dtype(t.dtype) == "float32"
                        for t in (steps, *states))):
            return None  # mixed precision keeps the scan's dtype handling
        input_mask, recurrent_mask = self._dropout_masks or (None, None)
        if recurrent_mask is not None:
            return None
        if input_mask is not None:
            steps = steps * input_mask
        bias = self.bias if self.bias is not None else ops.zeros(
            (4 * self.units,), dtype=self.compute_dtype)
        weights = [ops.convert_to_tensor(w, dtype=self.compute_dtype)
                   for w in (self.kernel, self.recurrent_kernel, bias)]
        return backend.rnn_ops.lstm_sequence(bool(return_sequences), steps, *states, *weights)

    def get_config(self):
        config = super().get_config()
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


@keras_name("keras.layers.LSTM")
class LSTM(BuiltinRNN):
    """Long short-term memory layer (Hochreiter & Schmidhuber, 1997).

    Args:
        units: Positive int, dimension of the output.
        activation, recurrent_activation, use_bias, unit_forget_bias, *_initializer,
            *_regularizer, *_constraint, dropout, recurrent_dropout, seed: As in `LSTMCell`.
        return_sequences, return_state, go_backwards, stateful, unroll: As in `RNN`.
        use_cudnn: Accepted for compatibility (there is one implementation).

    With `return_state=True` the call returns `(output, h, c)`.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, unit_forget_bias=unit_forget_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="lstm_cell",
            implementation=kwargs.pop("implementation", None), **cell_kwargs(kwargs))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
