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

    # Arithmetic on symbolic tensors records op nodes (see `neokeras.ops.operation`); numpy
    # arrays on the left defer to these instead of iterating the tensor.
    __array_priority__ = 100

    def __add__(self, other):
        return _ops().add(self, other)

    def __radd__(self, other):
        return _ops().add(other, self)

    def __sub__(self, other):
        return _ops().subtract(self, other)

    def __rsub__(self, other):
        return _ops().subtract(other, self)

    def __mul__(self, other):
        return _ops().multiply(self, other)

    def __rmul__(self, other):
        return _ops().multiply(other, self)

    def __truediv__(self, other):
        return _ops().divide(self, other)

    def __rtruediv__(self, other):
        return _ops().divide(other, self)

    def __pow__(self, other):
        return _ops().power(self, other)

    def __rpow__(self, other):
        return _ops().power(other, self)

    def __matmul__(self, other):
        return _ops().matmul(self, other)

    def __rmatmul__(self, other):
        return _ops().matmul(other, self)

    def __neg__(self):
        return _ops().negative(self)

    def __abs__(self):
        return _ops().absolute(self)

    def __lt__(self, other):
        return _ops().less(self, other)

    def __le__(self, other):
        return _ops().less_equal(self, other)

    def __gt__(self, other):
        return _ops().greater(self, other)

    def __ge__(self, other):
        return _ops().greater_equal(self, other)

    def __getitem__(self, key):
        from neokeras.ops.operation import symbolic_op

        return symbolic_op("get_item", "numpy", (self, key), {})

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor has no value, so it cannot be used as a Python bool. "
            "Use neokeras.ops (e.g. ops.where) inside a layer's call instead."
        )


def _ops():
    from neokeras import ops

    return ops


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)
