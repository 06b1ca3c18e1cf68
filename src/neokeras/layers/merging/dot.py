"""`Dot`: per-sample dot products between two tensors."""

import numbers

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def batch_dot(x, y, axes):
    """Contracts axis `axes[0]` of `x` with axis `axes[1]` of `y`, sample by sample.

    The result has the remaining axes of `x` then those of `y`; a result with only the batch
    axis gets a trailing axis of size 1 (`(batch, 1)`), as in Keras.
    """
    rank_x, rank_y = len(x.shape), len(y.shape)
    x_letters = ["z"] + list(_LETTERS[:rank_x - 1])
    y_letters = ["z"] + list(_LETTERS[rank_x - 1:rank_x + rank_y - 2])
    y_letters[axes[1]] = x_letters[axes[0]]
    out = [x_letters[0]] + [c for i, c in enumerate(x_letters) if i not in (0, axes[0])] \
        + [c for i, c in enumerate(y_letters) if i not in (0, axes[1])]
    result = ops.einsum(f"{''.join(x_letters)},{''.join(y_letters)}->{''.join(out)}", x, y)
    if len(result.shape) == 1:
        result = ops.expand_dims(result, 1)
    return result


@keras_name("keras.layers.Dot")
class Dot(Layer):
    """Dot product of two tensors along `axes`, for each sample of the batch.

    Args:
        axes: Int, or a pair of ints (one axis per input), to contract; axis 0 is the batch.
        normalize: L2-normalize both inputs along `axes` first, so that the result is the
            cosine similarity.
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, numbers.Integral) and not isinstance(axes, bool):
            axes = int(axes)
        elif isinstance(axes, (list, tuple)) and len(axes) == 2 and all(
                isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axes):
            axes = [int(a) for a in axes]
        else:
            raise TypeError(
                f"Dot: axes must be an int or a list/tuple of two ints. Received: axes={axes!r}")
        self.axes = axes
        self.normalize = bool(normalize)

    def _resolved_axes(self, shape_x, shape_y):
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else list(self.axes)
        resolved = [axes[0] % len(shape_x), axes[1] % len(shape_y)]
        if 0 in resolved:
            raise ValueError(
                f"Layer '{self.name}' (Dot): cannot contract over the batch axis. "
                f"Received axes={self.axes} for shapes {shape_x} and {shape_y}.")
        return resolved

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2 \
                or not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(
                f"Layer '{self.name}' (Dot) must be called on a list of exactly 2 tensors. "
                f"Received input shape: {input_shape}")
        shape_x, shape_y = input_shape
        ax, ay = self._resolved_axes(shape_x, shape_y)
        if shape_x[ax] is not None and shape_y[ay] is not None and shape_x[ax] != shape_y[ay]:
            raise ValueError(
                f"Layer '{self.name}' (Dot): the contracted dimensions differ: "
                f"{shape_x[ax]} (axis {ax} of {shape_x}) vs {shape_y[ay]} (axis {ay} of "
                f"{shape_y}).")
        self.built = True

    def call(self, inputs):
        x, y = inputs
        axes = self._resolved_axes(x.shape, y.shape)
        if self.normalize:
            x = ops.normalize(x, axis=axes[0])
            y = ops.normalize(y, axis=axes[1])
        return batch_dot(x, y, axes)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


@keras_name("keras.layers.dot")
def dot(inputs, axes=-1, normalize=False, **kwargs):
    """Applies a `Dot(axes, normalize)` layer to `inputs` (a list of two tensors)."""
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
