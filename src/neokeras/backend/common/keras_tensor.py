"""`KerasTensor`: a symbolic tensor (shape and dtype, no values) used to build models."""


class KerasTensor:
    """A placeholder for an array: what `keras.Input` returns and layers return on symbolic input.

    Args:
        shape: Tuple of ints or None (unknown, e.g. the batch dimension).
        dtype: Dtype name.
        name: Optional name (the input layer's name for `Input` tensors).
    """

    def __init__(self, shape, dtype="float32", name=None, sparse=False):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = str(dtype)
        self.name = name
        self.sparse = sparse
        # (layer, node_index, tensor_index) of the layer call that produced this tensor.
        self._keras_history = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor has no value, so it cannot be used as a Python bool. "
            "Use neokeras.ops (e.g. ops.where) inside a layer's call instead."
        )


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)
