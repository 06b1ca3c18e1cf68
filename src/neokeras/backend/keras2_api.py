"""The Keras 2 backend functions (`import keras.backend as K`), written on `neokeras.ops`.

Keras 3 dropped most of these; code written for Keras 2 still calls them in custom losses,
metrics and layers, so they are kept here with their Keras 2 signatures and semantics.
"""

import numpy as np

from neokeras import config
from neokeras import ops
from neokeras.backend.common import naming
from neokeras.backend.common.seed_generator import reset_global_seed_generator
from neokeras.backend.common.variables import KerasVariable

epsilon = config.epsilon
set_epsilon = config.set_epsilon
floatx = config.floatx
set_floatx = config.set_floatx
image_data_format = config.image_data_format
set_image_data_format = config.set_image_data_format
backend = config.backend

abs = ops.abs
exp = ops.exp
log = ops.log
square = ops.square
sign = ops.sign
round = ops.round
equal = ops.equal
not_equal = ops.not_equal
greater = ops.greater
greater_equal = ops.greater_equal
less = ops.less
less_equal = ops.less_equal
maximum = ops.maximum
minimum = ops.minimum
dot = ops.dot
transpose = ops.transpose
tanh = ops.tanh
sigmoid = ops.sigmoid
# Keras 3's definition relu6(x + 3) / 6; Keras 2 used clip(0.2 * x + 0.5, 0, 1).
hard_sigmoid = ops.hard_sigmoid
softplus = ops.softplus
softsign = ops.softsign
ones_like = ops.ones_like
zeros_like = ops.zeros_like
stop_gradient = ops.stop_gradient
cast = ops.cast
sin = ops.sin
cos = ops.cos


def sqrt(x):
    """Square root; negative inputs are clipped to 0 first, as in Keras 2."""
    return ops.sqrt(ops.maximum(x, 0.0))


def _reduce(fn):
    def reduction(x, axis=None, keepdims=False):
        return fn(x, axis=_axis(axis), keepdims=keepdims)

    reduction.__name__ = fn.__name__
    reduction.__doc__ = f"`{fn.__name__}` over `axis` (all axes when None), as Keras 2 did."
    return reduction


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


mean = _reduce(ops.mean)
sum = _reduce(ops.sum)
prod = _reduce(ops.prod)
max = _reduce(ops.max)
min = _reduce(ops.min)
std = _reduce(ops.std)
var = _reduce(ops.var)


def all(x, axis=None, keepdims=False):
    return ops.all(ops.cast(x, "bool"), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return ops.any(ops.cast(x, "bool"), axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=-1):
    return ops.argmax(x, axis=axis)


def argmin(x, axis=-1):
    return ops.argmin(x, axis=axis)


def clip(x, min_value, max_value):
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return ops.clip(x, min_value, max_value)


def pow(x, a):
    return ops.power(x, a)


def concatenate(tensors, axis=-1):
    return ops.concatenate(tensors, axis=axis)


def stack(x, axis=0):
    return ops.stack(x, axis=axis)


def expand_dims(x, axis=-1):
    return ops.expand_dims(x, axis)


def squeeze(x, axis):
    return ops.squeeze(x, axis=axis)


def flatten(x):
    """Flattens to one dimension."""
    return ops.reshape(x, (-1,))


def batch_flatten(x):
    """Flattens every dimension but the first: `(n, ...) -> (n, prod(...))`."""
    x = ops.convert_to_tensor(x)
    return ops.reshape(x, (x.shape[0], -1))


def reshape(x, shape):
    return ops.reshape(x, shape)


def permute_dimensions(x, pattern):
    return ops.transpose(x, tuple(pattern))


def gather(reference, indices):
    """Rows of `reference` at `indices` (along axis 0)."""
    return ops.take(reference, indices, axis=0)


def int_shape(x):
    """The static shape as a tuple of ints (None where unknown)."""
    return tuple(x.shape)


def shape(x):
    """The shape of `x` (a tuple; shapes are static under JAX)."""
    return tuple(ops.convert_to_tensor(x).shape) if not hasattr(x, "shape") else tuple(x.shape)


def ndim(x):
    return len(x.shape)


def batch_dot(x, y, axes=None):
    """Batchwise dot product: sums over `axes` for each sample of the batch.

    With 2D inputs and no `axes` the result has shape `(batch, 1)`, as in Keras 2.
    """
    x, y = ops.convert_to_tensor(x), ops.convert_to_tensor(y)
    if isinstance(axes, int):
        axes = (axes, axes)
    if axes is None:
        axes = (x.ndim - 1, y.ndim - 2 if y.ndim > 2 else 1)
    ax, ay = (a % t.ndim for a, t in zip(axes, (x, y)))
    if ax == 0 or ay == 0:
        raise ValueError(f"batch_dot cannot reduce over the batch axis. Received: axes={axes}")
    x_letters = "abcdefghij"[: x.ndim]
    y_letters = "a" + "klmnopqrs"[: y.ndim - 1]
    y_letters = y_letters[:ay] + x_letters[ax] + y_letters[ay + 1:]
    out = "".join(c for c in x_letters if c != x_letters[ax]) + "".join(
        c for c in y_letters[1:] if c != x_letters[ax])
    result = ops.einsum(f"{x_letters},{y_letters}->{out}", x, y)
    if result.ndim == 1:
        result = ops.expand_dims(result, 1)
    return result


def constant(value, dtype=None, shape=None, name=None):
    value = np.asarray(value)
    if shape is not None:
        value = np.broadcast_to(value, shape)
    return ops.convert_to_tensor(value, dtype=dtype or floatx())


def variable(value, dtype=None, name=None, constraint=None):
    """A `Variable` holding `value`."""
    from neokeras.backend import Variable

    return Variable(np.asarray(value, dtype=dtype or floatx()), name=name)


def get_value(x):
    """The value of a variable or tensor as a numpy array."""
    return ops.convert_to_numpy(x)


def eval(x):
    """The value of a variable or tensor as a numpy array (Keras 2 `K.eval`)."""
    return get_value(x)


def batch_get_value(xs):
    return [get_value(x) for x in xs]


def set_value(x, value):
    """Sets a variable's value from a numpy array."""
    if not isinstance(x, KerasVariable):
        raise TypeError(f"K.set_value expects a Variable. Received: {type(x).__name__}")
    value = np.asarray(value, dtype=x.dtype)
    if value.shape != tuple(x.shape):
        raise ValueError(
            f"K.set_value: variable '{x.name}' has shape {tuple(x.shape)}, "
            f"but the value has shape {value.shape}.")
    x.assign(value)


def batch_set_value(tuples):
    for x, value in tuples:
        set_value(x, value)


def ones(shape, dtype=None, name=None):
    return ops.ones(shape, dtype=dtype or floatx())


def zeros(shape, dtype=None, name=None):
    return ops.zeros(shape, dtype=dtype or floatx())


def eye(size, dtype=None, name=None):
    rows, cols = (size, size) if isinstance(size, int) else size
    return ops.eye(rows, cols, dtype=dtype or floatx())


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    from neokeras.backend import random

    return random.normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    from neokeras.backend import random

    return random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=seed)


def dropout(x, level, noise_shape=None, seed=None):
    from neokeras.backend import random

    return random.dropout(x, level, noise_shape=noise_shape, seed=seed)


def switch(condition, then_expression, else_expression):
    """Elementwise `then` where `condition` holds, else `else` (callables are called first)."""
    then_value = then_expression() if callable(then_expression) else then_expression
    else_value = else_expression() if callable(else_expression) else else_expression
    return ops.where(condition, then_value, else_value)


def cumsum(x, axis=0):
    return ops.cumsum(x, axis=axis)


def cumprod(x, axis=0):
    return ops.cumprod(x, axis=axis)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """Keras 2 relu: leaky slope `alpha`, optional cap `max_value`, `threshold`."""
    x = ops.convert_to_tensor(x)
    out = ops.where(x > threshold, x, alpha * (x - threshold))
    if max_value is not None:
        out = ops.minimum(out, max_value)
    return out


def elu(x, alpha=1.0):
    return ops.elu(x, alpha=alpha)


def softmax(x, axis=-1):
    return ops.softmax(x, axis=axis)


def l2_normalize(x, axis=None):
    x = ops.convert_to_tensor(x)
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return x * ops.rsqrt(ops.maximum(square_sum, 1e-12))


def binary_crossentropy(target, output, from_logits=False):
    return ops.binary_crossentropy(target, output, from_logits=from_logits)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return ops.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    return ops.sparse_categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


def clear_session(free_memory=True):
    """Resets the automatic layer names, the global random stream and the current
    `keras.distribution`.

    Args:
        free_memory: Whether to run Python's garbage collection too (it can take a moment;
            skip it when clearing in a short loop).
    """
    import gc

    from neokeras.distribution import set_distribution

    naming.reset_names()
    reset_global_seed_generator()
    set_distribution(None)
    if free_memory:
        gc.collect()


def is_keras_tensor(x):
    from neokeras.backend.common.keras_tensor import KerasTensor

    return isinstance(x, KerasTensor)
