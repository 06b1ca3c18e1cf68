"""`Variable`: a named, mutable handle on a backend array.

Layers, optimizers and metrics own variables. Reading `variable.value` inside a
`StatelessScope` gives the scope's stand-in value, so the same code runs eagerly and traced.
"""

import numpy as np

from neokeras import config
from neokeras.backend.common import allocation_budget, naming
from neokeras.backend.common.stateless_scope import current_stateless_scope


class KerasVariable:
    """A mutable handle on an array. Backends subclass it to say how arrays are made.

    Args:
        initializer: An array-like initial value, or a callable `(shape, dtype) -> array`
            (an initializer object or name resolved by the caller).
        shape: The shape, required when `initializer` is a callable.
        dtype: The dtype; defaults to the initial value's dtype, or `floatx()`.
        trainable: Whether gradients update this variable.
        name: A short name (`"kernel"`); `path` adds the owner (`"dense/kernel"`).
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, name=None,
                 path=None):
        self.name = name or naming.uniquify("variable")
        self.path = path or self.name
        self.trainable = bool(trainable)
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable '{self.name}': a callable initializer needs a `shape`. "
                    f"Received: shape=None"
                )
            dtype = dtype or config.floatx()
            check = allocation_budget.active()
            if check is not None:
                check(tuple(shape), dtype, self.path)
            value = initializer(tuple(shape), dtype=dtype)
        else:
            value = initializer
        value = self._convert_to_tensor(value, dtype)
        if shape is not None and tuple(value.shape) != tuple(shape):
            raise ValueError(
                f"Variable '{self.name}': initial value has shape {tuple(value.shape)}, "
                f"expected {tuple(shape)}."
            )
        self._value = value

    # Subclasses implement these two.
    def _convert_to_tensor(self, value, dtype=None):
        raise NotImplementedError

    def _to_numpy(self, value):
        raise NotImplementedError

    @property
    def value(self):
        scope = current_stateless_scope()
        if scope is not None:
            scoped = scope.get_value(self)
            if scoped is not None:
                return scoped
        return self._value

    def assign(self, value):
        """Sets a new value of the same shape (recorded, not written, inside a stateless scope)."""
        value = self._convert_to_tensor(value, self.dtype)
        if tuple(value.shape) != self.shape:
            raise ValueError(
                f"Cannot assign a value of shape {tuple(value.shape)} to variable "
                f"'{self.path}' of shape {self.shape}."
            )
        scope = current_stateless_scope()
        if scope is not None:
            scope.record_assignment(self, value)
        else:
            self._value = value
        return value

    def assign_add(self, delta):
        return self.assign(self.value + delta)

    def assign_sub(self, delta):
        return self.assign(self.value - delta)

    @property
    def shape(self):
        return tuple(self._value.shape)

    @property
    def dtype(self):
        return str(self._value.dtype)

    @property
    def ndim(self):
        return len(self.shape)

    def numpy(self):
        return self._to_numpy(self.value)

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __repr__(self):
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}>"

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, idx):
        return self.value[idx]

    def __bool__(self):
        raise TypeError("A Variable cannot be used as a Python bool; compare its value instead.")

    # Arithmetic works on the current value, so `x @ kernel + bias` reads naturally in layers.
    def __neg__(self):
        return -self.value

    def __pos__(self):
        return self.value

    def __abs__(self):
        return abs(self.value)

    def __float__(self):
        return float(np.asarray(self.numpy()))

    def __int__(self):
        return int(np.asarray(self.numpy()))


def _binary(op, reflected):
    def method(self, other):
        other = other.value if isinstance(other, KerasVariable) else other
        return op(other, self.value) if reflected else op(self.value, other)

    return method


import operator as _op  # noqa: E402

for _name, _fn in {
    "add": _op.add, "sub": _op.sub, "mul": _op.mul, "truediv": _op.truediv,
    "floordiv": _op.floordiv, "mod": _op.mod, "pow": _op.pow, "matmul": _op.matmul,
    "and": _op.and_, "or": _op.or_, "xor": _op.xor,
}.items():
    setattr(KerasVariable, f"__{_name}__", _binary(_fn, reflected=False))
    setattr(KerasVariable, f"__r{_name}__", _binary(_fn, reflected=True))
for _name, _fn in {"lt": _op.lt, "le": _op.le, "gt": _op.gt, "ge": _op.ge}.items():
    setattr(KerasVariable, f"__{_name}__", _binary(_fn, reflected=False))
