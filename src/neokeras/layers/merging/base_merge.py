"""`Merge`: the base of layers that combine a list of tensors elementwise."""

from neokeras import ops
from neokeras.layers.layer import Layer


class Merge(Layer):
    """Combines a list of same-shaped (or broadcastable) tensors with `_merge_function`.

    Inputs of lower rank get size-1 axes inserted after the batch axis, so that e.g. `(batch, 4)`
    and `(batch, 3, 4)` combine to `(batch, 3, 4)` as in Keras.
    """

    min_inputs = 2
    max_inputs = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_inputs(self, shapes):
        if not isinstance(shapes, (list, tuple)) or not shapes or not isinstance(
                shapes[0], (list, tuple)):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) must be called on a list of "
                f"tensors. Received input shape: {shapes}")
        count = len(shapes)
        if count < self.min_inputs or (self.max_inputs is not None and count > self.max_inputs):
            wanted = (f"exactly {self.min_inputs}" if self.max_inputs == self.min_inputs
                      else f"at least {self.min_inputs}")
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) needs {wanted} inputs. "
                f"Received {count} inputs with shapes {list(shapes)}.")
        batch_sizes = {s[0] for s in shapes if s and s[0] is not None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f"Layer '{self.name}': the inputs have different batch sizes "
                f"{sorted(batch_sizes)}. Received shapes {list(shapes)}.")
        ranked = [tuple(s[1:]) for s in shapes]
        rank = max(len(s) for s in ranked)
        padded = [(1,) * (rank - len(s)) + s for s in ranked]
        for axis in range(rank):
            sizes = {s[axis] for s in padded if s[axis] not in (None, 1)}
            if len(sizes) > 1:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) needs inputs of compatible "
                    f"shapes (equal or broadcastable). Received shapes {list(shapes)}.")

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) must be called on a list of "
                f"tensors. Received: {type(inputs).__name__}")
        rank = max(len(x.shape) for x in inputs)
        aligned = []
        for x in inputs:
            for _ in range(rank - len(x.shape)):
                x = ops.expand_dims(x, 1)
            aligned.append(x)
        return self._merge_function(aligned)

    def _merge_function(self, inputs):
        raise NotImplementedError
