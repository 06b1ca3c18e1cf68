"""Keras 2 `K` functions about variables, placeholders, the learning phase, `K.function` and
the remaining array helpers, with tf-keras 2's signatures and semantics."""

import contextlib
import warnings

import numpy as np

from neokeras import config
from neokeras import ops
from neokeras.backend.common import naming
from neokeras.backend.common.name_scope import name_scope
from neokeras.backend.common.variables import KerasVariable

__all__ = [
    "arange", "cast_to_floatx", "count_params", "dtype", "foldl", "foldr", "map_fn", "get_uid",
    "reset_uids", "is_sparse", "to_dense", "repeat", "repeat_elements", "reverse", "tile",
    "random_bernoulli", "random_binomial", "random_normal_variable", "random_uniform_variable",
    "truncated_normal", "update", "update_add", "update_sub", "moving_average_update",
    "print_tensor", "name_scope", "placeholder", "function", "learning_phase",
    "set_learning_phase", "learning_phase_scope", "in_train_phase", "in_test_phase",
]


def arange(start, stop=None, step=1, dtype="int32"):
    """`[start, stop)` by `step`; with one argument, `[0, start)` (negative start gives [])."""
    if stop is None and start < 0:
        start = 0
    return ops.arange(start, stop, step, dtype=dtype)


def cast_to_floatx(x):
    """Casts to `floatx()`; numpy inputs stay numpy arrays, as in Keras 2."""
    if isinstance(x, (np.ndarray, np.generic, float, int, list, tuple)):
        return np.asarray(x, dtype=config.floatx())
    return ops.cast(x, config.floatx())


def count_params(x):
    """Number of scalars in a variable or tensor."""
    return int(np.prod(tuple(x.shape)))


def dtype(x):
    """The dtype name of a tensor or variable (`"float32"`)."""
    from neokeras import backend

    return backend.standardize_dtype(x.dtype)


def _scan_fold(fn, elems, initializer, reverse):
    elems = ops.convert_to_tensor(elems)
    if reverse:
        elems = ops.flip(elems, axis=0)
    if initializer is None:
        initializer, elems = elems[0], elems[1:]

    def body(acc, x):
        return fn(acc, x), None

    final, _ = ops.scan(body, ops.convert_to_tensor(initializer), elems)
    return final


def foldl(fn, elems, initializer=None, name=None):
    """Reduces `elems` from the first element: `fn(fn(init, e0), e1)...`."""
    return _scan_fold(fn, elems, initializer, reverse=False)


def foldr(fn, elems, initializer=None, name=None):
    """Reduces `elems` from the last element: `fn(fn(init, e_n), e_n-1)...`."""
    return _scan_fold(fn, elems, initializer, reverse=True)


def map_fn(fn, elems, name=None, dtype=None):
    """Applies `fn` to each slice of `elems` along the first axis and stacks the results."""
    elems = ops.convert_to_tensor(elems)
    _, out = ops.scan(lambda carry, x: (carry, fn(x)), 0, elems)
    return out if dtype is None else ops.cast(out, dtype)


def get_uid(prefix=""):
    """A counter per `prefix`: 1 on the first call, then 2, 3, ... (shared with layer names)."""
    return naming.next_uid(prefix)


def reset_uids():
    """Resets every `get_uid` counter (and automatic names)."""
    naming.reset_names()


def is_sparse(tensor):
    """Whether `tensor` is a sparse tensor (a `jax.experimental.sparse` array)."""
    from neokeras import backend

    return backend.impl.core.is_sparse(tensor)


def to_dense(tensor):
    """A dense copy of a sparse tensor; dense tensors are returned unchanged."""
    return tensor.todense() if is_sparse(tensor) else tensor


def repeat(x, n):
    """`(batch, dim)` -> `(batch, n, dim)` by repeating each row `n` times."""
    x = ops.convert_to_tensor(x)
    if x.ndim != 2:
        raise ValueError(f"K.repeat expects a 2D tensor. Received shape: {tuple(x.shape)}")
    return ops.repeat(ops.expand_dims(x, 1), n, axis=1)


def repeat_elements(x, rep, axis):
    """Repeats each element `rep` times along `axis` (`[a, b]` -> `[a, a, b, b]`)."""
    return ops.repeat(x, rep, axis=axis)


def reverse(x, axes):
    """Reverses `x` along `axes` (an int or a list of ints)."""
    return ops.flip(x, axis=tuple(axes) if isinstance(axes, (list, tuple)) else axes)


def tile(x, n):
    """Tiles `x` `n` times (an int or one count per axis)."""
    return ops.tile(x, [n] if isinstance(n, int) else n)


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """0/1 samples, 1 with probability `p`, in `dtype` (default `floatx()`)."""
    from neokeras import random

    dtype = dtype or config.floatx()
    u = random.uniform(shape, dtype=dtype, seed=seed)
    return ops.cast(u <= p, dtype)


def random_binomial(shape, p=0.0, dtype=None, seed=None):
    """Deprecated alias of `random_bernoulli`."""
    warnings.warn("`K.random_binomial` is deprecated, use `K.random_bernoulli` instead.",
                  DeprecationWarning, stacklevel=2)
    return random_bernoulli(shape, p, dtype, seed)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples within two standard deviations of `mean`."""
    from neokeras import random

    return random.truncated_normal(shape, mean, stddev, dtype=dtype, seed=seed)


def _variable(value, dtype, name):
    from neokeras.backend import Variable

    return Variable(value, dtype=dtype or config.floatx(), name=name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A variable initialized from a normal distribution (`scale` is the standard deviation)."""
    from neokeras import random

    if seed is None:
        seed = np.random.randint(10e8)
    value = random.normal(shape, mean, scale, dtype=dtype or config.floatx(), seed=seed)
    return _variable(value, dtype, name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A variable initialized from a uniform distribution on `[low, high)`."""
    from neokeras import random

    if seed is None:
        seed = np.random.randint(10e8)
    value = random.uniform(shape, low, high, dtype=dtype or config.floatx(), seed=seed)
    return _variable(value, dtype, name)


def _check_variable(x, fn):
    if not isinstance(x, KerasVariable):
        raise TypeError(f"K.{fn} expects a Variable as first argument. Received: "
                        f"{type(x).__name__}")


def update(x, new_x):
    """Assigns `new_x` to the variable `x` and returns it."""
    _check_variable(x, "update")
    x.assign(new_x)
    return x


def update_add(x, increment):
    """Adds `increment` to the variable `x` and returns it."""
    _check_variable(x, "update_add")
    x.assign_add(increment)
    return x


def update_sub(x, decrement):
    """Subtracts `decrement` from the variable `x` and returns it."""
    _check_variable(x, "update_sub")
    x.assign_sub(decrement)
    return x


def moving_average_update(x, value, momentum):
    """`x = x * momentum + value * (1 - momentum)` on the variable `x`; returns `x`."""
    _check_variable(x, "moving_average_update")
    x.assign(x.value * momentum + ops.convert_to_tensor(value, x.dtype) * (1.0 - momentum))
    return x


def print_tensor(x, message="", summarize=3):
    """Prints `message` and the value of `x` (also from compiled code) and returns `x`."""
    from neokeras import backend

    backend.impl.core.debug_print(f"{message}{{}}", x, summarize=summarize)
    return x


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None, ragged=False):
    """A symbolic input tensor (as `keras.Input(batch_shape=shape)`), for `K.function`.

    Args:
        shape: Full shape including the batch axis (None entries are unknown).
        ndim: Rank, when `shape` is not given (every dimension unknown).
        dtype: Dtype name (default `floatx()`).
        name: Optional name.
    """
    from neokeras.layers import Input

    if sparse or ragged:
        raise ValueError("K.placeholder: sparse and ragged placeholders are TensorFlow types; "
                         "neokeras supports dense placeholders only.")
    if shape is None:
        if ndim is None:
            raise ValueError("K.placeholder needs `shape` or `ndim`.")
        shape = (None,) * ndim
    return Input(batch_shape=tuple(shape), dtype=dtype or config.floatx(), name=name)


class _Function:
    """The callable `K.function` returns: runs the graph from `inputs` to `outputs`."""

    def __init__(self, inputs, outputs, name=None):
        from neokeras.models import Model

        self._single_output = not isinstance(outputs, (list, tuple))
        self._outputs = [outputs] if self._single_output else list(outputs)
        self._inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._model = Model(self._inputs, self._outputs, name=name)

    def __call__(self, inputs):
        values = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(values) != len(self._inputs):
            raise ValueError(f"K.function: expected {len(self._inputs)} input values, "
                             f"received {len(values)}.")
        outputs = self._model(values, training=bool(learning_phase()))
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        outputs = [ops.convert_to_numpy(o) for o in outputs]
        return outputs[0] if self._single_output else outputs


def function(inputs, outputs, updates=None, name=None, **kwargs):
    """A Python callable computing `outputs` from values for the symbolic `inputs`.

    Args:
        inputs: List of placeholders / `keras.Input` tensors (e.g. `model.inputs`).
        outputs: Symbolic tensor or list of them reachable from `inputs` (e.g. a layer's
            `.output`).
        updates: Not supported (Keras 2 graph-mode assignments); must be None.

    Returns:
        A function taking a list of arrays and returning a list of numpy arrays (a single
        array when `outputs` is a single tensor).
    """
    if updates:
        raise ValueError("K.function: `updates` were TensorFlow graph-mode assignments; "
                         "neokeras runs eagerly, apply the updates with `variable.assign`.")
    if kwargs:
        raise ValueError(f"K.function: invalid keyword arguments {sorted(kwargs)}.")
    return _Function(inputs, outputs, name=name)


_LEARNING_PHASE = {"value": None}


def learning_phase():
    """The learning phase: 0 (inference, the default) or 1 (training) as set by
    `set_learning_phase` / `learning_phase_scope`."""
    value = _LEARNING_PHASE["value"]
    return 0 if value is None else value


def global_learning_phase():
    """The phase set by `set_learning_phase`/`learning_phase_scope` as a bool, or None."""
    value = _LEARNING_PHASE["value"]
    return None if value is None else bool(value)


def set_learning_phase(value):
    """Sets the learning phase to 0 (inference) or 1 (training). Deprecated in Keras 2.4+:
    pass `training=` to layer calls instead."""
    warnings.warn("`K.set_learning_phase` is deprecated; pass `training=True/False` to your "
                  "model or layer calls instead.", DeprecationWarning, stacklevel=2)
    _set_phase(value)


def _set_phase(value):
    if value not in (0, 1):
        raise ValueError(f"Expected learning phase to be 0 or 1. Received: {value!r}")
    _LEARNING_PHASE["value"] = int(value)


@contextlib.contextmanager
def learning_phase_scope(value):
    """Context in which `learning_phase()` is `value` (0 or 1)."""
    previous = _LEARNING_PHASE["value"]
    _set_phase(value)
    try:
        yield
    finally:
        _LEARNING_PHASE["value"] = previous


def _value(x):
    return x() if callable(x) else x


def in_train_phase(x, alt, training=None):
    """`x` in the training phase, `alt` otherwise (either may be a callable).

    Args:
        training: None (use `learning_phase()`), a Python bool/int, or a boolean tensor
            (then the choice is elementwise, via `ops.where`).
    """
    if training is None:
        training = learning_phase()
    if isinstance(training, (bool, int, np.bool_, np.integer)):
        return _value(x) if training else _value(alt)
    return ops.where(ops.cast(training, "bool"), _value(x), _value(alt))


def in_test_phase(x, alt, training=None):
    """`x` in the inference phase, `alt` in training (either may be a callable)."""
    return in_train_phase(alt, x, training=training)
