"""`GRUCell` and `GRU`: gated recurrent unit, gates in the order z (update), r (reset), h."""

from neokeras import activations
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.rnn.dropout_rnn_cell import RecurrentCell
from neokeras.layers.rnn.rnn import BuiltinRNN
from neokeras.layers.rnn.rnn import cell_kwargs


@keras_name("keras.layers.GRUCell")
class GRUCell(RecurrentCell):
    """One GRU step: `h = z * h_prev + (1 - z) * candidate`.

    Args:
        units: Positive int, dimension of the output and state.
        activation: Activation of the candidate (default `"tanh"`).
        recurrent_activation: Activation of the gates (default `"sigmoid"`).
        use_bias: Whether to add biases.
        reset_after: Apply the reset gate after the recurrent matrix product (default True,
            the cuDNN-compatible variant with separate input and recurrent biases, bias shape
            `(2, 3 * units)`); False applies it before (bias shape `(3 * units,)`).
        kernel_initializer, recurrent_initializer, bias_initializer, *_regularizer,
            *_constraint, dropout, recurrent_dropout, seed: As in `SimpleRNNCell`.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 reset_after=True, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)
        self.state_size = units

    def build(self, input_shape):
        self._add_kernels(input_shape[-1], 3)
        self._add_bias((2, 3 * self.units) if self.reset_after else (3 * self.units,))

    def call(self, inputs, states, training=False):
        h_previous = states[0] if isinstance(states, (list, tuple)) else states
        inputs, recurrent_in = self._apply_dropout(inputs, h_previous, training)
        h, _ = self._step(self._project(inputs), recurrent_in, [h_previous])
        return h, ([h] if isinstance(states, (list, tuple)) else h)

    _split_call = call

    def _project(self, inputs):
        x = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = x + (self.bias[0] if self.reset_after else self.bias)
        return x

    def _step(self, projected, recurrent_in, states):
        h_previous = states[0]
        units = self.units
        x_z, x_r, x_h = ops.split(projected, 3, axis=-1)
        if self.reset_after:
            inner = ops.matmul(recurrent_in, self.recurrent_kernel)
            if self.bias is not None:
                inner = inner + self.bias[1]
        else:
            inner = ops.matmul(recurrent_in, self.recurrent_kernel[:, :2 * units])
        z = self.recurrent_activation(x_z + inner[:, :units])
        r = self.recurrent_activation(x_r + inner[:, units:2 * units])
        if self.reset_after:
            recurrent_h = r * inner[:, 2 * units:]
        else:
            recurrent_h = ops.matmul(r * recurrent_in, self.recurrent_kernel[:, 2 * units:])
        candidate = self.activation(x_h + recurrent_h)
        h = z * h_previous + (1 - z) * candidate
        return h, [h]

    def get_config(self):
        config = super().get_config()
        config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config["reset_after"] = self.reset_after
        return config


@keras_name("keras.layers.GRU")
class GRU(BuiltinRNN):
    """Gated recurrent unit layer (Cho et al., 2014).

    Args:
        units: Positive int, dimension of the output.
        activation, recurrent_activation, use_bias, reset_after, *_initializer,
            *_regularizer, *_constraint, dropout, recurrent_dropout, seed: As in `GRUCell`.
        return_sequences, return_state, go_backwards, stateful, unroll: As in `RNN`.
        use_cudnn: Accepted for compatibility (there is one implementation).
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, reset_after=reset_after, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed, name="gru_cell",
            implementation=kwargs.pop("implementation", None), **cell_kwargs(kwargs))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
