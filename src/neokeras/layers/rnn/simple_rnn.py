"""`SimpleRNNCell` and `SimpleRNN`: `h_t = act(x_t @ kernel + h_{t-1} @ recurrent_kernel + b)`."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.rnn.dropout_rnn_cell import RecurrentCell
from neokeras.layers.rnn.rnn import BuiltinRNN
from neokeras.layers.rnn.rnn import cell_kwargs


@keras_name("keras.layers.SimpleRNNCell")
class SimpleRNNCell(RecurrentCell):
    """One step of a fully-connected RNN.

    Args:
        units: Positive int, dimension of the output and state.
        activation: Activation (default `"tanh"`).
        use_bias: Whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: Weight initializers
            (defaults `"glorot_uniform"`, `"orthogonal"`, `"zeros"`).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: Optional regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: Optional constraints.
        dropout: Fraction of the inputs to drop (training only).
        recurrent_dropout: Fraction of the previous state to drop (training only).
        seed: Int seed for the dropout masks.
    """

    _seed_generator_first = True

    def __init__(self, units, activation="tanh", use_bias=True, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)
        self.state_size = units

    def build(self, input_shape):
        self._add_kernels(input_shape[-1], 1)
        self._add_bias((self.units,))

    def call(self, inputs, states, training=False):
        previous = states[0] if isinstance(states, (list, tuple)) else states
        inputs, recurrent_in = self._apply_dropout(inputs, previous, training)
        output, _ = self._step(self._project(inputs), recurrent_in, [previous])
        return output, ([output] if isinstance(states, (list, tuple)) else output)

    _split_call = call

    def _project(self, inputs):
        h = ops.matmul(inputs, self.kernel)
        return h if self.bias is None else h + self.bias

    def _step(self, projected, recurrent_in, states):
        output = self.activation(projected + ops.matmul(recurrent_in, self.recurrent_kernel))
        return output, [output]


@keras_name("keras.layers.SimpleRNN")
class SimpleRNN(BuiltinRNN):
    """Fully-connected RNN whose output is fed back as the next input state.

    Args:
        units: Positive int, dimension of the output.
        activation, use_bias, *_initializer, *_regularizer, *_constraint, dropout,
            recurrent_dropout, seed: As in `SimpleRNNCell`.
        return_sequences, return_state, go_backwards, stateful, unroll: As in `RNN`.
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, name="simple_rnn_cell",
            **cell_kwargs(kwargs))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("seed")  # Keras 3 leaves it out of SimpleRNN's config.
        return config
