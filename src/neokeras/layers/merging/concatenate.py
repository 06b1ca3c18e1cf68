"""`Concatenate`: joins a list of tensors along one axis."""

import numbers

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Concatenate")
class Concatenate(Layer):
    """Concatenates a list of tensors along `axis`; all other dimensions must match.

    Args:
        axis: The axis to join along (default -1, the last).
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise TypeError(f"Concatenate: axis must be an int. Received: axis={axis!r}")
        self.axis = int(axis)
        self.supports_masking = True

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) < 1 \
                or not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(
                f"Layer '{self.name}' (Concatenate) must be called on a list of tensors. "
                f"Received input shape: {input_shape}")
        ranks = {len(s) for s in input_shape}
        if len(ranks) != 1:
            raise ValueError(
                f"Layer '{self.name}' (Concatenate) needs inputs of the same rank. Received "
                f"shapes {list(input_shape)}.")
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"Layer '{self.name}' (Concatenate): axis={self.axis} is out of range for inputs "
                f"of rank {rank}.")
        axis = self.axis % rank
        for dim in range(rank):
            sizes = {s[dim] for s in input_shape if s[dim] is not None}
            if dim != axis and len(sizes) > 1:
                raise ValueError(
                    f"Layer '{self.name}' (Concatenate) needs inputs whose shapes match except "
                    f"on the concatenation axis {self.axis}. Received shapes "
                    f"{list(input_shape)}.")
        self.built = True

    def call(self, inputs):
        return ops.concatenate(list(inputs), axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


@keras_name("keras.layers.concatenate")
def concatenate(inputs, axis=-1, **kwargs):
    """Applies a `Concatenate(axis)` layer to `inputs` (a list of tensors).

    Args:
        inputs: List of tensors.
        axis: The axis to join along.
        **kwargs: Layer arguments (e.g. `name`).
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
