"""`RNN`: runs a cell over the time axis of a sequence with one `ops.scan`."""

from neokeras import backend
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.layer import _no_stateless_scope
from neokeras.utils import tree


def _as_list(states):
    return list(states) if isinstance(states, (list, tuple)) else [states]


def _plain_lists(structure):
    """A `state_size` as plain nested lists (layers hold theirs in tracked lists)."""
    if isinstance(structure, (list, tuple)):
        return [_plain_lists(s) for s in structure]
    return structure


@keras_name("keras.layers.RNN")
class RNN(Layer):
    """Applies a recurrent cell to every step of `(batch, timesteps, features)` inputs.

    Args:
        cell: A cell: a layer with `call(inputs, states) -> (output, new_states)` and a
            `state_size` attribute (int or list of ints), or a list of cells (stacked with
            `StackedRNNCells`).
        return_sequences: Return the whole output sequence instead of the last output.
        return_state: Also return the final states, as `(output, *states)`.
        go_backwards: Process the sequence in reverse (outputs come in processing order).
        stateful: Keep the final states of a batch as the initial states of the next one
            (needs a fixed batch size; `reset_states()` zeroes them).
        unroll: Unroll the time loop into straight-line code (faster for short sequences,
            more memory and compile time); otherwise the loop is one compiled scan.
        zero_output_for_mask: Output zeros at masked steps instead of the last real output.
        time_major: Keras 2: inputs, masks and output sequences are `(timesteps, batch, ...)`.

    Call arguments: `sequences`, `initial_state` (list of state tensors), `mask` (boolean
    `(batch, timesteps)`, True for real steps), `training`.
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, time_major=False,
                 **kwargs):
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):
            from neokeras.layers.rnn.stacked_rnn_cells import StackedRNNCells

            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise ValueError(
                f"RNN(cell=...) expects a layer with `call` and a `state_size` attribute. "
                f"Received: cell={cell!r}")
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.time_major = bool(time_major)
        self.supports_masking = True
        self.state_size = _as_list(cell.state_size)
        # States travel flat through the loop; nested cells (StackedRNNCells) see their nesting.
        self._state_structure = _plain_lists(cell.state_size)
        self._nested_state = any(tree.is_nested(s) for s in self.state_size)
        self._flat_state_sizes = tree.flatten(self.state_size)
        # Stateful carry-over lives in variables that are state, not weights: they are updated by
        # compiled steps (as non-trainable variables) but never saved as weights, as in Keras.
        object.__setattr__(self, "states", None)

    def build(self, sequences_shape, initial_state_shape=None):
        if self.time_major and len(sequences_shape) >= 2:
            sequences_shape = (sequences_shape[1], sequences_shape[0]) + tuple(
                sequences_shape[2:])
        if len(sequences_shape) < 3:
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects inputs of shape "
                f"(batch, timesteps, features). Received input_shape={tuple(sequences_shape)}")
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build((sequences_shape[0],) + tuple(sequences_shape[2:]))
            self.cell.built = True
        if self.stateful and self.states is None:
            batch_size = sequences_shape[0]
            if batch_size is None:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}' is stateful, so it needs a fixed batch "
                    "size: pass `batch_size=` to keras.Input (or `batch_input_shape=`). "
                    f"Received input_shape={tuple(sequences_shape)}")
            shapes = [(batch_size, size) for size in self._flat_state_sizes]
            if hasattr(self.cell, "get_initial_state"):  # e.g. feature-map states
                shapes = [tuple(s.shape) for s in tree.flatten(
                    _as_list(self.cell.get_initial_state(batch_size=batch_size)))]
            with _no_stateless_scope():
                states = [backend.Variable(initializers.Zeros(), shape=shape,
                                           dtype=self.compute_dtype, trainable=False,
                                           name="rnn_state", path=f"{self.name}/rnn_state")
                          for shape in shapes]
            object.__setattr__(self, "states", states)
        self.built = True

    @property
    def non_trainable_variables(self):
        return super().non_trainable_variables + list(self.states or [])

    @property
    def non_trainable_weights(self):
        states = {id(v) for v in self.states or []}
        return [v for v in super().non_trainable_weights if id(v) not in states]

    def get_initial_state(self, batch_size):
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            return _as_list(make(batch_size=batch_size))
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype)
                for size in self._flat_state_sizes]

    def reset_states(self):
        """Zeroes the carried states of a stateful RNN."""
        for variable in self.states or []:
            variable.assign(ops.zeros(variable.shape, dtype=variable.dtype))

    reset_state = reset_states

    def compute_mask(self, inputs, previous_mask):
        mask = tree.flatten(previous_mask)[0] if previous_mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(self.state_size)
        return output_mask

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if self.time_major:
            sequences = ops.swapaxes(sequences, 0, 1)
            if mask is not None:
                mask = ops.swapaxes(tree.flatten(mask)[0], 0, 1)
        batch_size = ops.shape(sequences)[0]
        if initial_state is None:
            if self.stateful:
                expected = self.states[0].shape[0]
                if isinstance(batch_size, int) and batch_size != expected:
                    raise ValueError(
                        f"{type(self).__name__} '{self.name}' is stateful with batch size "
                        f"{expected} (the size of its carried states), but received a batch of "
                        f"{batch_size} samples. Feed batches of exactly {expected} samples "
                        f"(e.g. predict(x, batch_size={expected}) with len(x) a multiple of "
                        f"{expected}).")
                initial_state = [v.value for v in self.states]
            else:
                initial_state = self.get_initial_state(batch_size)
        states = [ops.convert_to_tensor(s, dtype=self.compute_dtype)
                  for s in tree.flatten(_as_list(initial_state))]
        if len(states) != len(self._flat_state_sizes):
            raise ValueError(
                f"{type(self).__name__} '{self.name}' has {len(self._flat_state_sizes)} "
                f"state(s) but received {len(states)} initial state tensor(s).")

        steps = ops.swapaxes(sequences, 0, 1)  # time-major for the scan
        if mask is not None:
            mask = tree.flatten(mask)[0]
            step_masks = ops.expand_dims(ops.swapaxes(ops.cast(mask, "bool"), 0, 1), -1)
        if self.go_backwards:
            steps = ops.flip(steps, axis=0)
            if mask is not None:
                step_masks = ops.flip(step_masks, axis=0)

        cell_kwargs = {}
        if getattr(self.cell, "_call_has_training_arg", False):
            cell_kwargs["training"] = training
        prepare = getattr(self.cell, "_prepare_dropout_masks", None)
        if prepare is not None:
            prepare(steps[0], states[0], training)
        # A built-in cell's input projection can run for all timesteps in one matrix product,
        # the loop keeping only the recurrent product and the gate math (where the backend
        # runs that faster).
        split = getattr(self.cell, "_splits_steps", None)
        split = split is not None and split() and backend.hoists_rnn_input_projection()
        if split:
            steps = self.cell._project_sequence(steps)

        def step(carry, xs):
            step_input, step_mask = xs if mask is not None else (xs, None)
            if split:
                output, new_states = self.cell._recurrent_step(step_input, carry)
            else:
                cell_states = carry
                if self._nested_state:
                    cell_states = tree.pack_sequence_as(self._state_structure, carry)
                output, new_states = self.cell(step_input, cell_states, **cell_kwargs)
            new_states = tree.flatten(_as_list(new_states))
            if step_mask is not None:
                new_states = [ops.where(step_mask, n, c) for n, c in zip(new_states, carry)]
                kept = ops.zeros_like(output) if self.zero_output_for_mask else carry[0]
                output = ops.where(step_mask, output, kept)
            return new_states, output

        try:
            # A cell may run the whole sequence as one backend operation (LSTM on CPU).
            fused_sequence = getattr(self.cell, "_fused_sequence", None)
            fused = None
            if fused_sequence is not None and mask is None and not self.unroll:
                fused = fused_sequence(steps, states, self.return_sequences)
            if fused is not None:
                outputs, *states = fused
            else:
                xs = (steps, step_masks) if mask is not None else steps
                if self.unroll:
                    states, outputs = _unrolled_scan(step, states, xs, steps.shape[0])
                else:
                    states, outputs = ops.scan(step, states, xs)
        finally:
            if prepare is not None:
                self.cell._clear_dropout_masks()

        if self.stateful:
            for variable, value in zip(self.states, states):
                variable.assign(value)
        if self.return_sequences:
            output = outputs if self.time_major else ops.swapaxes(outputs, 0, 1)
        else:
            output = outputs if fused is not None else outputs[-1]
        if self.return_state:
            if self._nested_state:
                states = tree.pack_sequence_as(self._state_structure, states)
            return (output, *states)
        return output

    def _base_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards,
                "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask,
                # Keras 3 has no time_major: written only when set, so its files stay loadable.
                **({"time_major": True} if self.time_major else {})}

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {**self._base_config(), "cell": serialize_keras_object(self.cell)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        cell = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def _unrolled_scan(step, carry, xs, length):
    """`ops.scan` written out step by step (the time axis must have a static length)."""
    if length is None:
        raise ValueError("RNN(unroll=True) needs a fixed number of timesteps; give the input "
                         "a static time dimension or use unroll=False.")
    outputs = []
    for t in range(length):
        carry, output = step(carry, tree.map_structure(lambda x, t=t: x[t], xs))
        outputs.append(output)
    return carry, ops.stack(outputs)


class BuiltinRNN(RNN):
    """An `RNN` over one of the built-in cells, configured by the cell's own arguments."""

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, use_cudnn="auto",
                 time_major=False, **kwargs):
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         zero_output_for_mask=zero_output_for_mask, time_major=time_major,
                         **kwargs)

    def __getattr__(self, name):
        # `layer.units`, `layer.dropout`, ... read through to the cell, as in Keras.
        cell = self.__dict__.get("cell")
        if cell is not None and name in _CELL_ATTRIBUTES:
            return getattr(cell, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def get_config(self):
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        return {**self._base_config(), **cell_config,
                "activity_regularizer": regularizers.serialize(self.activity_regularizer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)


_CELL_ATTRIBUTES = {
    "units", "activation", "recurrent_activation", "use_bias", "unit_forget_bias",
    "reset_after", "kernel_initializer", "recurrent_initializer", "bias_initializer",
    "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
    "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed",
}


def cell_kwargs(kwargs):
    """Splits off the layer arguments a built-in cell shares with its layer (dtype, trainable)."""
    return {"dtype": kwargs.get("dtype"), "trainable": kwargs.get("trainable", True)}
