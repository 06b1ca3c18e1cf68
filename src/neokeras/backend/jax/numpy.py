"""NumPy-like array operations on `jax.Array` (the backend side of `neokeras.ops`)."""

import jax
import jax.numpy as jnp

from neokeras.backend.jax.core import convert_to_tensor as _t

__all__ = [
    "abs", "absolute", "add", "all", "any", "arange", "argmax", "argmin", "argsort", "array",
    "broadcast_to", "ceil", "clip", "concatenate", "cos", "cosh", "cumprod", "cumsum", "diag",
    "divide", "dot", "einsum", "equal", "exp", "expand_dims", "expm1", "eye", "floor",
    "floor_divide", "full", "full_like", "greater", "greater_equal", "isfinite", "isinf", "isnan",
    "less", "less_equal", "linspace", "log", "log1p", "logical_and", "logical_not",
    "logical_or", "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "mod",
    "moveaxis", "multiply", "negative", "not_equal", "ones", "ones_like", "pad", "power", "prod",
    "repeat", "reshape", "round", "sign", "sin", "sinh", "sort", "split", "sqrt", "square",
    "squeeze", "stack", "std", "subtract", "sum", "swapaxes", "take", "take_along_axis", "tan",
    "tanh", "tensordot", "tile", "transpose", "tril", "triu", "true_divide", "var", "where",
    "zeros", "zeros_like", "norm", "count_nonzero", "flip", "roll", "rsqrt", "reciprocal",
    "maximum", "erf", "floor", "outer", "diagonal", "trace", "arctan", "arcsin", "arccos",
    "size", "nan_to_num", "top_k", "segment_sum", "unstack",
]


def array(x, dtype=None):
    return _t(x, dtype=dtype)


def add(x1, x2):
    return jnp.add(_t(x1), _t(x2))


def subtract(x1, x2):
    return jnp.subtract(_t(x1), _t(x2))


def multiply(x1, x2):
    return jnp.multiply(_t(x1), _t(x2))


def divide(x1, x2):
    return jnp.divide(_t(x1), _t(x2))


true_divide = divide


def floor_divide(x1, x2):
    return jnp.floor_divide(_t(x1), _t(x2))


def mod(x1, x2):
    return jnp.mod(_t(x1), _t(x2))


def power(x1, x2):
    return jnp.power(_t(x1), _t(x2))


def negative(x):
    return jnp.negative(_t(x))


def matmul(x1, x2):
    return jnp.matmul(_t(x1), _t(x2))


def dot(x1, x2):
    return jnp.dot(_t(x1), _t(x2))


def tensordot(x1, x2, axes=2):
    return jnp.tensordot(_t(x1), _t(x2), axes=axes)


def einsum(subscripts, *operands):
    return jnp.einsum(subscripts, *[_t(o) for o in operands])


def outer(x1, x2):
    return jnp.outer(_t(x1), _t(x2))


def abs(x):
    return jnp.abs(_t(x))


absolute = abs


def sign(x):
    return jnp.sign(_t(x))


def sqrt(x):
    return jnp.sqrt(_t(x))


def rsqrt(x):
    return jax.lax.rsqrt(_t(x))


def reciprocal(x):
    return jnp.reciprocal(_t(x))


def square(x):
    return jnp.square(_t(x))


def exp(x):
    return jnp.exp(_t(x))


def expm1(x):
    return jnp.expm1(_t(x))


def log(x):
    return jnp.log(_t(x))


def log1p(x):
    return jnp.log1p(_t(x))


def logsumexp(x, axis=None, keepdims=False):
    return jax.scipy.special.logsumexp(_t(x), axis=axis, keepdims=keepdims)


def erf(x):
    return jax.scipy.special.erf(_t(x))


def sin(x):
    return jnp.sin(_t(x))


def cos(x):
    return jnp.cos(_t(x))


def tan(x):
    return jnp.tan(_t(x))


def arctan(x):
    return jnp.arctan(_t(x))


def arcsin(x):
    return jnp.arcsin(_t(x))


def arccos(x):
    return jnp.arccos(_t(x))


def sinh(x):
    return jnp.sinh(_t(x))


def cosh(x):
    return jnp.cosh(_t(x))


def tanh(x):
    return jnp.tanh(_t(x))


def floor(x):
    return jnp.floor(_t(x))


def ceil(x):
    return jnp.ceil(_t(x))


def round(x, decimals=0):
    return jnp.round(_t(x), decimals)


def clip(x, x_min, x_max):
    return jnp.clip(_t(x), x_min, x_max)


def maximum(x1, x2):
    return jnp.maximum(_t(x1), _t(x2))


def minimum(x1, x2):
    return jnp.minimum(_t(x1), _t(x2))


def where(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return jnp.nonzero(_t(condition))
    return jnp.where(_t(condition), _t(x1), _t(x2))


def equal(x1, x2):
    return jnp.equal(_t(x1), _t(x2))


def not_equal(x1, x2):
    return jnp.not_equal(_t(x1), _t(x2))


def greater(x1, x2):
    return jnp.greater(_t(x1), _t(x2))


def greater_equal(x1, x2):
    return jnp.greater_equal(_t(x1), _t(x2))


def less(x1, x2):
    return jnp.less(_t(x1), _t(x2))


def less_equal(x1, x2):
    return jnp.less_equal(_t(x1), _t(x2))


def logical_and(x1, x2):
    return jnp.logical_and(_t(x1), _t(x2))


def logical_or(x1, x2):
    return jnp.logical_or(_t(x1), _t(x2))


def logical_not(x):
    return jnp.logical_not(_t(x))


def isnan(x):
    return jnp.isnan(_t(x))


def isinf(x):
    return jnp.isinf(_t(x))


def isfinite(x):
    return jnp.isfinite(_t(x))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return jnp.nan_to_num(_t(x), nan=nan, posinf=posinf, neginf=neginf)


def sum(x, axis=None, keepdims=False):
    return jnp.sum(_t(x), axis=axis, keepdims=keepdims)


def prod(x, axis=None, keepdims=False):
    return jnp.prod(_t(x), axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return jnp.mean(_t(x), axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):
    return jnp.max(_t(x), axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):
    return jnp.min(_t(x), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return jnp.std(_t(x), axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return jnp.var(_t(x), axis=axis, keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return jnp.all(_t(x), axis=axis, keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(_t(x), axis=axis, keepdims=keepdims)


def count_nonzero(x, axis=None):
    return jnp.count_nonzero(_t(x), axis=axis)


def norm(x, ord=None, axis=None, keepdims=False):
    return jnp.linalg.norm(_t(x), ord=ord, axis=axis, keepdims=keepdims)


def cumsum(x, axis=None):
    return jnp.cumsum(_t(x), axis=axis)


def cumprod(x, axis=None):
    return jnp.cumprod(_t(x), axis=axis)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(_t(x), axis=axis, keepdims=keepdims)


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(_t(x), axis=axis, keepdims=keepdims)


def argsort(x, axis=-1):
    return jnp.argsort(_t(x), axis=axis)


def sort(x, axis=-1):
    return jnp.sort(_t(x), axis=axis)


def top_k(x, k, sorted=True):
    return jax.lax.top_k(_t(x), k)


def reshape(x, newshape):
    return jnp.reshape(_t(x), tuple(-1 if d is None else d for d in newshape))


def transpose(x, axes=None):
    return jnp.transpose(_t(x), axes)


def swapaxes(x, axis1, axis2):
    return jnp.swapaxes(_t(x), axis1, axis2)


def moveaxis(x, source, destination):
    return jnp.moveaxis(_t(x), source, destination)


def expand_dims(x, axis):
    return jnp.expand_dims(_t(x), axis)


def squeeze(x, axis=None):
    return jnp.squeeze(_t(x), axis=axis)


def concatenate(xs, axis=0):
    return jnp.concatenate([_t(x) for x in xs], axis=axis)


def stack(xs, axis=0):
    return jnp.stack([_t(x) for x in xs], axis=axis)


def unstack(x, num=None, axis=0):
    x = _t(x)
    return [jnp.take(x, i, axis=axis) for i in range(x.shape[axis])]


def split(x, indices_or_sections, axis=0):
    return jnp.split(_t(x), indices_or_sections, axis=axis)


def tile(x, repeats):
    return jnp.tile(_t(x), repeats)


def repeat(x, repeats, axis=None):
    return jnp.repeat(_t(x), repeats, axis=axis)


def broadcast_to(x, shape):
    return jnp.broadcast_to(_t(x), shape)


def flip(x, axis=None):
    return jnp.flip(_t(x), axis=axis)


def roll(x, shift, axis=None):
    return jnp.roll(_t(x), shift, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=0):
    if mode == "constant":
        return jnp.pad(_t(x), pad_width, mode=mode, constant_values=constant_values)
    return jnp.pad(_t(x), pad_width, mode=mode)


def take(x, indices, axis=None):
    return jnp.take(_t(x), _t(indices), axis=axis)


def take_along_axis(x, indices, axis=None):
    return jnp.take_along_axis(_t(x), _t(indices), axis=axis)


def diag(x, k=0):
    return jnp.diag(_t(x), k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(_t(x), offset=offset, axis1=axis1, axis2=axis2)


def trace(x, offset=0, axis1=0, axis2=1):
    return jnp.trace(_t(x), offset=offset, axis1=axis1, axis2=axis2)


def tril(x, k=0):
    return jnp.tril(_t(x), k=k)


def triu(x, k=0):
    return jnp.triu(_t(x), k=k)


def size(x):
    return _t(x).size


def zeros(shape, dtype=None):
    return jnp.zeros(shape, dtype=dtype or _floatx())


def ones(shape, dtype=None):
    return jnp.ones(shape, dtype=dtype or _floatx())


def full(shape, fill_value, dtype=None):
    return jnp.full(shape, fill_value, dtype=dtype)


def zeros_like(x, dtype=None):
    return jnp.zeros_like(_t(x), dtype=dtype)


def ones_like(x, dtype=None):
    return jnp.ones_like(_t(x), dtype=dtype)


def full_like(x, fill_value, dtype=None):
    return jnp.full_like(_t(x), fill_value, dtype=dtype)


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M, k=k, dtype=dtype or _floatx())


def arange(start, stop=None, step=1, dtype=None):
    return jnp.arange(start, stop, step, dtype=dtype)


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    return jnp.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)


def segment_sum(data, segment_ids, num_segments=None):
    return jax.ops.segment_sum(_t(data), _t(segment_ids), num_segments=num_segments)



def _floatx():
    from neokeras import config

    return config.floatx()
