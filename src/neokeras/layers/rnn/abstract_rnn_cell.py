"""`AbstractRNNCell` (Keras 2): a base class for custom RNN cells."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.AbstractRNNCell")
class AbstractRNNCell(Layer):
    """Base class for RNN cells: subclasses define `state_size`, `output_size` and
    `call(inputs, states) -> (output, new_states)`; `RNN(cell)` runs them over time.

    Example:

        class MinimalRNNCell(keras.layers.AbstractRNNCell):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units

            @property
            def state_size(self):
                return self.units

            def build(self, input_shape):
                self.kernel = self.add_weight(shape=(input_shape[-1], self.units))

            def call(self, inputs, states):
                output = keras.ops.matmul(inputs, self.kernel) + states[0]
                return output, [output]
    """

    @property
    def state_size(self):
        """Int, or list of ints: the size(s) of the state tensor(s)."""
        raise NotImplementedError(f"{type(self).__name__} must define the `state_size` property.")

    @property
    def output_size(self):
        """Int: the size of the output at each step."""
        raise NotImplementedError(
            f"{type(self).__name__} must define the `output_size` property.")

    def call(self, inputs, states):
        raise NotImplementedError(
            f"{type(self).__name__} must implement call(inputs, states) -> (output, new_states).")

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Zero states, one `(batch_size, size)` tensor per entry of `state_size`."""
        if batch_size is None and inputs is not None:
            batch_size = ops.shape(inputs)[0]
        dtype = dtype or self.compute_dtype
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [
            self.state_size]
        return [ops.zeros((batch_size, size), dtype=dtype) for size in sizes]
