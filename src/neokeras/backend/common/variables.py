"""`Variable`: a named, mutable handle on a backend array.

Layers, optimizers and metrics own variables. Reading `variable.value` inside a
`StatelessScope` gives the scope's stand-in value, so the same code runs eagerly and traced.
"""

import threading

import numpy as np

from neokeras import config
from neokeras.backend.common import allocation_budget, naming
from neokeras.backend.common.name_scope import current_path
from neokeras.backend.common.stateless_scope import current_stateless_scope


class KerasVariable:
    """A mutable, named handle on an array (`keras.Variable`).

    Args:
        initializer: An initial value (array-like), or an initializer (name, object or callable
            `(shape, dtype) -> array`), which then needs `shape`.
        shape: The shape, required when `initializer` is not a value.
        dtype: The dtype; defaults to the initial value's dtype, or `floatx()`.
        trainable: Whether gradients update this variable.
        autocast: Whether a float variable is read in a layer's compute dtype inside that
            layer's call (mixed precision).
        aggregation: How distributed replicas combine it: `"none"`, `"mean"`, `"sum"` or
            `"only_first_replica"`.
        synchronization: `"auto"`, `"none"`, `"on_read"` or `"on_write"` (kept for Keras
            compatibility; one process holds one copy).
        name: A short name (`"kernel"`, no `/`); the path adds the enclosing `name_scope`s
            (`"dense/kernel"`).

    Example:

    >>> v = keras.Variable(initializer=np.ones((2,)), name="v")
    >>> v.assign(v + 1.0)
    """

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None, path=None, **kwargs):
        layout = kwargs.pop("layout", None)
        if kwargs:
            raise ValueError(f"Variable: unrecognized keyword arguments {sorted(kwargs)}.")
        name = name or naming.uniquify("variable")
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Variable: `name` must be a string without '/'. "
                             f"Received: name={name!r}")
        if aggregation not in (None, "none", "mean", "sum", "only_first_replica"):
            raise ValueError("Variable: `aggregation` must be one of 'none', 'mean', 'sum', "
                             f"'only_first_replica'. Received: aggregation={aggregation!r}")
        if synchronization not in (None, "none", "on_read", "on_write", "auto"):
            raise ValueError("Variable: `synchronization` must be one of 'none', 'on_read', "
                             f"'on_write', 'auto'. Received: synchronization={synchronization!r}")
        self.name = name
        if path is None:
            parent = current_path()
            path = f"{parent}/{name}" if parent else name
        self.path = path
        self.trainable = bool(trainable)
        self._autocast = bool(autocast)
        self.aggregation = aggregation or "none"
        self.synchronization = synchronization or "none"
        self.regularizer = None
        self.constraint = None
        if isinstance(initializer, str):
            from neokeras import initializers

            initializer = initializers.get(initializer)
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    f"Variable '{self.name}': an initializer needs a `shape`. "
                    f"Received: initializer={initializer!r}, shape=None"
                )
            dtype = dtype or config.floatx()
            check = allocation_budget.active()
            if check is not None:
                check(tuple(shape), dtype, self.path)
            value = initializer(tuple(shape), dtype=dtype)
        else:
            value = initializer
        # Under a distribution the layout is decided before the value leaves the host, so
        # `_convert_to_tensor` sends each device only its shard.
        self._layout = None
        self._layout = _variable_layout(self.path, _shape_of(value, shape), layout)
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

    def _maybe_autocast(self, value):
        scope = current_autocast_scope()
        if self._autocast and scope is not None:
            return scope.maybe_cast(value)
        return value

    @property
    def value(self):
        scope = current_stateless_scope()
        if scope is not None:
            scoped = scope.get_value(self)
            if scoped is not None:
                return self._maybe_autocast(scoped)
        return self._maybe_autocast(self._value)

    def assign(self, value):
        """Sets a new value of the same shape (recorded, not written, inside a stateless scope)."""
        value = self._convert_to_tensor(value, self._dtype)
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
    def _dtype(self):
        return str(self._value.dtype)

    @property
    def dtype(self):
        """The variable's dtype; inside an autocast scope, the dtype it is read in."""
        scope = current_autocast_scope()
        if self._autocast and scope is not None and scope.casts(self._dtype):
            return scope.dtype
        return self._dtype

    @property
    def shape(self):
        return tuple(self._value.shape)

    @property
    def ndim(self):
        return len(self.shape)

    def numpy(self):
        return self._to_numpy(self.value)

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, "
                f"value={self._to_numpy(self._value)}>")

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


def _shape_of(value, shape):
    return tuple(shape) if shape is not None else tuple(np.shape(value))


def _variable_layout(path, shape, layout):
    from neokeras.distribution import distributions  # the distribution API sits above backends

    return distributions.variable_layout(path, shape, layout)


class AutocastScope:
    """Within this context, float variables (with `autocast=True`) are read cast to `dtype`.

    Layers open it around `call` when their compute dtype differs from their variable dtype
    (mixed precision), so float32 variables enter float16/bfloat16 computations.
    """

    def __init__(self, dtype):
        if dtype is not None and "float" not in str(dtype):
            raise ValueError("AutocastScope needs a floating-point dtype such as 'float16'. "
                             f"Received: dtype={dtype!r}")
        self.dtype = None if dtype is None else str(dtype)

    def casts(self, dtype):
        return self.dtype is not None and "float" in str(dtype)

    def maybe_cast(self, value):
        if self.casts(value.dtype) and str(value.dtype) != self.dtype:
            return value.astype(self.dtype)
        return value

    def __enter__(self):
        _AUTOCAST.stack = getattr(_AUTOCAST, "stack", []) + [self]
        return self

    def __exit__(self, *exc):
        _AUTOCAST.stack = _AUTOCAST.stack[:-1]


_AUTOCAST = threading.local()


def current_autocast_scope():
    stack = getattr(_AUTOCAST, "stack", None)
    return stack[-1] if stack else None
