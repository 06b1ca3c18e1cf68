"""`RepeatVector`: repeats a vector `n` times along a new time axis."""

import numbers

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer


@keras_name("keras.layers.RepeatVector")
class RepeatVector(Layer):
    """Repeats each input vector `n` times: `(batch, features) -> (batch, n, features)`.

    Args:
        n: Positive int, the number of repetitions.
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"RepeatVector(n=...) must be a positive int. Received: n={n!r}")
        self.n = int(n)
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def get_config(self):
        return {**super().get_config(), "n": self.n}
