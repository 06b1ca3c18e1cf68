"""`RecurrentCell`: what SimpleRNNCell, LSTMCell and GRUCell share (weights config, dropout)."""

import numbers

from neokeras import activations
from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.layer import Layer


def _check_rate(owner, name, value):
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{owner}({name}=...) must be in [0, 1). Received: {name}={value!r}")
    return float(value)


class RecurrentCell(Layer):
    """Base of the built-in cells: one time step `call(inputs, states) -> (output, new_states)`.

    Dropout masks are drawn once per sequence (the same mask at every step): the `RNN` layer
    calls `_prepare_dropout_masks` before its loop and `_clear_dropout_masks` after it, so the
    loop body draws nothing.
    """

    # Keras's SimpleRNNCell and ConvLSTMCell make their SeedGenerator before their initializers
    # (LSTMCell and GRUCell after): unseeded ones draw their seeds from Python's `random` in
    # that order, so the same order gives Keras's weights after `set_random_seed`.
    _seed_generator_first = False

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        kwargs.pop("implementation", None)  # Keras 2 kernel-fusion choice; one fused path here.
        super().__init__(**kwargs)
        owner = type(self).__name__
        if isinstance(units, bool) or not isinstance(units, numbers.Integral) or units <= 0:
            raise ValueError(
                f"{owner}(units=...) must be a positive int. Received: units={units!r}")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        if self._seed_generator_first:
            self.seed_generator = SeedGenerator(seed)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = _check_rate(owner, "dropout", dropout)
        self.recurrent_dropout = _check_rate(owner, "recurrent_dropout", recurrent_dropout)
        self.seed = seed
        if not self._seed_generator_first:
            self.seed_generator = SeedGenerator(seed)
        self.output_size = units
        self._dropout_masks = None

    def _add_kernels(self, input_dim, gates):
        self.kernel = self.add_weight(
            shape=(input_dim, gates * self.units), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, gates * self.units), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)

    def _add_bias(self, shape, initializer=None):
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=shape, name="bias", initializer=initializer or self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in sizes]

    def _prepare_dropout_masks(self, step_inputs, previous_output, training):
        """Draws this sequence's input and recurrent dropout masks (None when not dropping)."""
        input_mask = recurrent_mask = None
        if training and self.dropout > 0:
            input_mask = random.dropout(ops.ones_like(step_inputs), self.dropout,
                                        seed=self.seed_generator)
        if training and self.recurrent_dropout > 0:
            recurrent_mask = random.dropout(ops.ones_like(previous_output),
                                            self.recurrent_dropout, seed=self.seed_generator)
        self._dropout_masks = (input_mask, recurrent_mask)

    def _clear_dropout_masks(self):
        self._dropout_masks = None

    def _apply_dropout(self, inputs, previous_output, training):
        masks = self._dropout_masks
        if masks is None:  # Called on its own, outside an RNN loop.
            self._prepare_dropout_masks(inputs, previous_output, training)
            masks, self._dropout_masks = self._dropout_masks, None
        input_mask, recurrent_mask = masks
        if input_mask is not None:
            inputs = inputs * input_mask
        if recurrent_mask is not None:
            previous_output = previous_output * recurrent_mask
        return inputs, previous_output

    # A built-in cell's step is `_step(_project(inputs), recurrent_in, states) -> (output,
    # new_states)`, `recurrent_in` being the (dropped-out) previous output: the input
    # projection does not depend on the states, so an `RNN` computes it for all timesteps in one
    # matrix product before its loop, which then only does the recurrent product and the gate
    # math. A subclass that overrides `call` is run step by step through its own `call`.
    _split_call = None

    def _project(self, inputs):
        """The input part of the pre-activations, on inputs of any leading shape."""
        return ops.matmul(inputs, self.kernel)

    def _splits_steps(self):
        return type(self).call is type(self)._split_call

    def _project_sequence(self, steps):
        """`_project` of the time-major `(timesteps, batch, features)` steps at once, with the
        sequence's input dropout mask (drawn by `_prepare_dropout_masks`)."""
        input_mask = self._dropout_masks[0] if self._dropout_masks else None
        if input_mask is not None:
            steps = steps * input_mask
        return self._project(steps)

    def _recurrent_step(self, projected, states):
        """One step of the loop after `_project_sequence`."""
        previous = states[0]
        recurrent_mask = self._dropout_masks[1] if self._dropout_masks else None
        recurrent_in = previous if recurrent_mask is None else previous * recurrent_mask
        return self._step(projected, recurrent_in, states)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed}
