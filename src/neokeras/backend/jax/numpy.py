"""NumPy-like array operations on `jax.Array` (the backend side of `neokeras.ops.numpy`).

Dtypes follow JAX's promotion, which is what Keras's JAX backend gives: Python scalars stay
weakly typed (`bfloat16 + 2.0` is `bfloat16`), integer inputs of float functions give `floatx()`.
"""

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from neokeras.backend.jax import matmul_lowering
from neokeras.backend.jax.core import convert_to_tensor as _convert

__all__ = [
    "abs", "absolute", "add", "all", "allclose", "amax", "amin", "angle", "any", "append",
    "arange", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "argmax",
    "argmin", "argpartition", "argsort", "array", "array_split", "average", "bartlett",
    "bincount", "bitwise_and", "bitwise_invert", "bitwise_left_shift", "bitwise_not",
    "bitwise_or", "bitwise_right_shift", "bitwise_xor", "blackman", "broadcast_to", "cbrt",
    "ceil", "clip", "concatenate", "conj", "conjugate", "copy", "corrcoef", "correlate", "cos",
    "cosh", "count_nonzero", "cross", "cumprod", "cumsum", "deg2rad", "diag", "diagflat",
    "diagonal", "diff", "digitize", "divide", "divide_no_nan", "dot", "dsplit", "dstack",
    "einsum", "empty", "empty_like", "equal", "exp", "exp2", "expand_dims", "expm1", "eye",
    "fabs", "flip", "fliplr", "flipud", "floor", "floor_divide", "fmax", "fmin", "fmod", "full",
    "full_like", "gcd", "geomspace", "get_item", "greater", "greater_equal", "hamming",
    "hanning", "heaviside", "histogram", "hsplit", "hstack", "hypot", "i0", "identity", "imag",
    "inner", "isclose", "isfinite", "isin", "isinf", "isnan", "isneginf", "isposinf", "isreal",
    "kaiser", "kron", "lcm", "ldexp", "left_shift", "less", "less_equal", "linspace", "log",
    "log10", "log1p", "log2", "logaddexp", "logaddexp2", "logical_and", "logical_not",
    "logical_or", "logical_xor", "logspace", "matmul", "max", "maximum", "mean", "median",
    "meshgrid", "min", "minimum", "mod", "moveaxis", "multiply", "nan_to_num", "nanargmax",
    "nanargmin", "nancumprod", "nancumsum", "nanmax", "nanmean", "nanmedian", "nanmin",
    "nanpercentile", "nanprod", "nanquantile", "nanstd", "nansum", "nanvar", "ndim", "negative",
    "nextafter", "nonzero", "not_equal", "ones", "ones_like", "outer", "pad", "percentile",
    "power", "prod", "ptp", "quantile", "rad2deg", "ravel", "real", "reciprocal", "repeat",
    "reshape", "right_shift", "roll", "rot90", "round", "searchsorted", "select", "sign",
    "signbit", "sin", "sinc", "sinh", "size", "slogdet", "sort", "split", "sqrt", "square",
    "squeeze", "stack", "std", "subtract", "sum", "swapaxes", "take", "take_along_axis", "tan",
    "tanh", "tensordot", "tile", "trace", "transpose", "trapezoid", "tri", "tril", "triu",
    "true_divide", "trunc", "unique", "unravel_index", "vander", "var", "vdot", "vectorize",
    "view", "vsplit", "vstack", "where", "zeros", "zeros_like",
]

_PY_SCALARS = (bool, int, float, complex)


def _t(x):
    """Tensor from `x`; a Python scalar stays weakly typed so it does not widen the other operand."""
    if isinstance(x, _PY_SCALARS) and not isinstance(x, np.generic):
        return jnp.asarray(x)
    return _convert(x)


def _floatx():
    from neokeras import config

    return config.floatx()


def _is_int_or_bool(x):
    return jnp.issubdtype(x.dtype, jnp.integer) or x.dtype == jnp.bool_


def _to_float(x):
    """Integer and bool inputs of float-valued functions compute in `floatx()`."""
    x = _t(x)
    return x.astype(_floatx()) if _is_int_or_bool(x) else x


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _check_axis(x, axis, op):
    if axis is None:
        return
    for a in (axis if isinstance(axis, (tuple, list)) else (axis,)):
        if not isinstance(a, (int, np.integer)) or not -x.ndim <= a < builtins.max(x.ndim, 1):
            raise ValueError(f"ops.{op}: `axis` {axis!r} is out of range for an input of "
                             f"rank {x.ndim} (shape {tuple(x.shape)}).")


# ----- creation -----------------------------------------------------------------------------

def array(x, dtype=None):
    return _convert(x, dtype=dtype)


def zeros(shape, dtype=None):
    return jnp.zeros(shape, dtype=dtype or _floatx())


def ones(shape, dtype=None):
    return jnp.ones(shape, dtype=dtype or _floatx())


def empty(shape, dtype=None):
    return jnp.zeros(shape, dtype=dtype or _floatx())


def full(shape, fill_value, dtype=None):
    return jnp.full(shape, fill_value, dtype=dtype or _floatx())


def zeros_like(x, dtype=None):
    return jnp.zeros_like(_t(x), dtype=dtype)


def ones_like(x, dtype=None):
    return jnp.ones_like(_t(x), dtype=dtype)


def empty_like(x, dtype=None):
    return jnp.zeros_like(_t(x), dtype=dtype)


def full_like(x, fill_value, dtype=None):
    return jnp.full_like(_t(x), fill_value, dtype=dtype)


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(N, M, k=k, dtype=dtype or _floatx())


def identity(n, dtype=None):
    return jnp.identity(n, dtype=dtype or _floatx())


def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(N, M, k=k, dtype=dtype or _floatx())


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        from neokeras.backend.common.dtypes import result_type

        dtype = result_type(*[getattr(v, "dtype", type(v))
                              for v in (start, stop, step) if v is not None])
    return jnp.arange(start, stop, step, dtype=dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    return jnp.linspace(start, stop, num, endpoint=endpoint, retstep=retstep, dtype=dtype,
                        axis=axis)


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    return jnp.logspace(start, stop, num, endpoint=endpoint, base=base, dtype=dtype, axis=axis)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    return jnp.geomspace(start, stop, num, endpoint=endpoint, dtype=dtype, axis=axis)


def meshgrid(*x, indexing="xy"):
    return jnp.meshgrid(*[_t(v) for v in x], indexing=indexing)


def _window(fn, x, *args):
    return fn(int(x), *args).astype(_floatx())


def bartlett(x):
    return _window(jnp.bartlett, x)


def blackman(x):
    return _window(jnp.blackman, x)


def hamming(x):
    return _window(jnp.hamming, x)


def hanning(x):
    return _window(jnp.hanning, x)


def kaiser(x, beta):
    return _window(jnp.kaiser, x, beta)


def vander(x, N=None, increasing=False):
    return jnp.vander(_t(x), N, increasing=increasing)


# ----- arithmetic ---------------------------------------------------------------------------

def add(x1, x2):
    return jnp.add(_t(x1), _t(x2))


def subtract(x1, x2):
    return jnp.subtract(_t(x1), _t(x2))


def multiply(x1, x2):
    return jnp.multiply(_t(x1), _t(x2))


def divide(x1, x2):
    return jnp.divide(_t(x1), _t(x2))


true_divide = divide


def divide_no_nan(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    zero = x2 == 0
    return jnp.where(zero, 0, jnp.divide(x1, jnp.where(zero, 1, x2)))


def floor_divide(x1, x2):
    return jnp.floor_divide(_t(x1), _t(x2))


def mod(x1, x2):
    return jnp.mod(_t(x1), _t(x2))


def fmod(x1, x2):
    return jnp.fmod(_t(x1), _t(x2))


def power(x1, x2):
    return jnp.power(_t(x1), _t(x2))


def negative(x):
    return jnp.negative(_t(x))


def reciprocal(x):
    return jnp.reciprocal(_t(x))


def square(x):
    return jnp.square(_t(x))


def sqrt(x):
    return jnp.sqrt(_to_float(x))


def cbrt(x):
    return jnp.cbrt(_to_float(x))


def abs(x):
    return jnp.abs(_t(x))


absolute = abs


def fabs(x):
    return jnp.fabs(_t(x))


def sign(x):
    return jnp.sign(_t(x))


def signbit(x):
    return jnp.signbit(_t(x))


def maximum(x1, x2):
    return jnp.maximum(_t(x1), _t(x2))


def minimum(x1, x2):
    return jnp.minimum(_t(x1), _t(x2))


def fmax(x1, x2):
    return jnp.fmax(_t(x1), _t(x2))


def fmin(x1, x2):
    return jnp.fmin(_t(x1), _t(x2))


def clip(x, x_min, x_max):
    x = _t(x)
    if x.dtype == jnp.bool_:
        x = x.astype("int32")
    return jnp.clip(x, x_min, x_max)


def hypot(x1, x2):
    return jnp.hypot(_t(x1), _t(x2))


def heaviside(x1, x2):
    return jnp.heaviside(_t(x1), _t(x2))


def gcd(x1, x2):
    return jnp.gcd(_t(x1), _t(x2))


def lcm(x1, x2):
    return jnp.lcm(_t(x1), _t(x2))


def ldexp(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    if not jnp.issubdtype(x2.dtype, jnp.integer):
        raise TypeError(f"ops.ldexp: the exponent `x2` must have an integer dtype. "
                        f"Received: x2.dtype={x2.dtype}")
    return jnp.ldexp(x1, x2)


def nextafter(x1, x2):
    return jnp.nextafter(_to_float(x1), _to_float(x2))


def round(x, decimals=0):
    x = _t(x)
    if _is_int_or_bool(x) and decimals < 0:
        factor = 10.0 ** decimals
        return (jnp.round(x.astype(_floatx()) * factor) / factor).astype(x.dtype)
    return jnp.round(x, decimals)


def trunc(x):
    x = _t(x)
    return x if _is_int_or_bool(x) else jnp.trunc(x)


def floor(x):
    return jnp.floor(_to_float(x))


def ceil(x):
    return jnp.ceil(_to_float(x))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return jnp.nan_to_num(_t(x), nan=nan, posinf=posinf, neginf=neginf)


# ----- transcendental -----------------------------------------------------------------------

def exp(x):
    return jnp.exp(_to_float(x))


def exp2(x):
    return jnp.exp2(_to_float(x))


def expm1(x):
    return jnp.expm1(_to_float(x))


def log(x):
    return jnp.log(_to_float(x))


def log2(x):
    return jnp.log2(_to_float(x))


def log10(x):
    return jnp.log10(_to_float(x))


def log1p(x):
    return jnp.log1p(_to_float(x))


def logaddexp(x1, x2):
    return jnp.logaddexp(_to_float(x1), _to_float(x2))


def logaddexp2(x1, x2):
    return jnp.logaddexp2(_to_float(x1), _to_float(x2))


def sin(x):
    return jnp.sin(_to_float(x))


def cos(x):
    return jnp.cos(_to_float(x))


def tan(x):
    return jnp.tan(_to_float(x))


def arcsin(x):
    return jnp.arcsin(_to_float(x))


def arccos(x):
    return jnp.arccos(_to_float(x))


def arctan(x):
    return jnp.arctan(_to_float(x))


def arctan2(x1, x2):
    return jnp.arctan2(_to_float(x1), _to_float(x2))


def sinh(x):
    return jnp.sinh(_to_float(x))


def cosh(x):
    return jnp.cosh(_to_float(x))


def tanh(x):
    return jnp.tanh(_to_float(x))


def arcsinh(x):
    return jnp.arcsinh(_to_float(x))


def arccosh(x):
    return jnp.arccosh(_to_float(x))


def arctanh(x):
    return jnp.arctanh(_to_float(x))


def sinc(x):
    return jnp.sinc(_to_float(x))


def i0(x):
    return jnp.i0(_to_float(x))


def deg2rad(x):
    return jnp.deg2rad(_to_float(x))


def rad2deg(x):
    return jnp.rad2deg(_to_float(x))


# ----- complex ------------------------------------------------------------------------------

def angle(x):
    return jnp.angle(_to_float(x))


def real(x):
    return jnp.real(_t(x))


def imag(x):
    return jnp.imag(_t(x))


def conjugate(x):
    return jnp.conjugate(_t(x))


conj = conjugate


def isreal(x):
    return jnp.isreal(_t(x))


# ----- comparison and logic -----------------------------------------------------------------

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


def logical_xor(x1, x2):
    return jnp.logical_xor(_t(x1), _t(x2))


def logical_not(x):
    return jnp.logical_not(_t(x))


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return jnp.isclose(_t(x1), _t(x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return jnp.allclose(_t(x1), _t(x2), rtol=rtol, atol=atol, equal_nan=equal_nan)


def isnan(x):
    return jnp.isnan(_t(x))


def isinf(x):
    return jnp.isinf(_t(x))


def isfinite(x):
    return jnp.isfinite(_t(x))


def isneginf(x):
    return jnp.isneginf(_t(x))


def isposinf(x):
    return jnp.isposinf(_t(x))


def isin(x1, x2, assume_unique=False, invert=False):
    return jnp.isin(_t(x1), _t(x2), assume_unique=assume_unique, invert=invert)


def where(condition, x1=None, x2=None):
    if x1 is None and x2 is None:
        return jnp.nonzero(_t(condition))
    if x1 is None or x2 is None:
        raise ValueError("ops.where: give both `x1` and `x2`, or neither. "
                         f"Received: x1={x1!r}, x2={x2!r}")
    return jnp.where(_t(condition), _t(x1), _t(x2))


def select(condlist, choicelist, default=0):
    return jnp.select([_t(c) for c in condlist], [_t(c) for c in choicelist], default)


def nonzero(x):
    return jnp.nonzero(_t(x))


# ----- bitwise ------------------------------------------------------------------------------

def bitwise_and(x, y):
    return jnp.bitwise_and(_t(x), _t(y))


def bitwise_or(x, y):
    return jnp.bitwise_or(_t(x), _t(y))


def bitwise_xor(x, y):
    return jnp.bitwise_xor(_t(x), _t(y))


def bitwise_invert(x):
    return jnp.invert(_t(x))


bitwise_not = bitwise_invert


def bitwise_left_shift(x, y):
    return jnp.left_shift(_t(x), _t(y))


left_shift = bitwise_left_shift


def bitwise_right_shift(x, y):
    return jnp.right_shift(_t(x), _t(y))


right_shift = bitwise_right_shift


# ----- reductions ---------------------------------------------------------------------------

def _float_reduction(fn, x, axis, keepdims):
    """Mean-like reductions compute in at least float32 and return float for int inputs."""
    x = _t(x)
    axis = _axis(axis)
    if _is_int_or_bool(x):
        return fn(x.astype("float32"), axis=axis, keepdims=keepdims).astype(_floatx())
    compute = jnp.promote_types(x.dtype, "float32")
    return fn(x.astype(compute), axis=axis, keepdims=keepdims).astype(x.dtype)


def mean(x, axis=None, keepdims=False):
    return _float_reduction(jnp.mean, x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    return _float_reduction(jnp.var, x, axis, keepdims)


def std(x, axis=None, keepdims=False):
    return jnp.std(_to_float(x), axis=_axis(axis), keepdims=keepdims)


def sum(x, axis=None, keepdims=False):
    return jnp.sum(_t(x), axis=_axis(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    return jnp.prod(_t(x), axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def max(x, axis=None, keepdims=False, initial=None):
    return jnp.max(_t(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    return jnp.min(_t(x), axis=_axis(axis), keepdims=keepdims, initial=initial)


def amax(x, axis=None, keepdims=False):
    return jnp.amax(_t(x), axis=_axis(axis), keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return jnp.amin(_t(x), axis=_axis(axis), keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    return jnp.ptp(_t(x), axis=_axis(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return jnp.all(_t(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(_t(x), axis=_axis(axis), keepdims=keepdims)


def count_nonzero(x, axis=None):
    return jnp.count_nonzero(_t(x), axis=_axis(axis)).astype("int32")


def average(x, axis=None, weights=None):
    x = _t(x)
    if weights is None:
        return jnp.average(_to_float(x), axis=axis)
    weights = _t(weights)
    dtype = jnp.promote_types(jnp.promote_types(x.dtype, weights.dtype), _floatx()) \
        if _is_int_or_bool(x) and _is_int_or_bool(weights) else \
        jnp.result_type(_to_float(x), _to_float(weights))
    return jnp.average(x.astype(dtype), axis=axis, weights=weights.astype(dtype))


def median(x, axis=None, keepdims=False):
    return jnp.median(_t(x), axis=_axis(axis), keepdims=keepdims)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    return jnp.quantile(_t(x), _t(q), axis=_axis(axis), method=method, keepdims=keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    return jnp.percentile(_t(x), _t(q), axis=_axis(axis), method=method, keepdims=keepdims)


def nanmax(x, axis=None, keepdims=False):
    return jnp.nanmax(_t(x), axis=_axis(axis), keepdims=keepdims)


def nanmin(x, axis=None, keepdims=False):
    return jnp.nanmin(_t(x), axis=_axis(axis), keepdims=keepdims)


def nansum(x, axis=None, keepdims=False):
    return jnp.nansum(_t(x), axis=_axis(axis), keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    return jnp.nanprod(_t(x), axis=_axis(axis), keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    return jnp.nanmean(_to_float(x), axis=_axis(axis), keepdims=keepdims)


def nanvar(x, axis=None, keepdims=False):
    return jnp.nanvar(_to_float(x), axis=_axis(axis), keepdims=keepdims)


def nanstd(x, axis=None, keepdims=False):
    return jnp.nanstd(_to_float(x), axis=_axis(axis), keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return jnp.nanmedian(_t(x), axis=_axis(axis), keepdims=keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return jnp.nanquantile(_t(x), _t(q), axis=_axis(axis), method=method, keepdims=keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return jnp.nanpercentile(_t(x), _t(q), axis=_axis(axis), method=method, keepdims=keepdims)


def nanargmax(x, axis=None, keepdims=False):
    return jnp.nanargmax(_t(x), axis=axis, keepdims=keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return jnp.nanargmin(_t(x), axis=axis, keepdims=keepdims)


def nancumsum(x, axis=None, dtype=None):
    return jnp.nancumsum(_t(x), axis=axis, dtype=dtype)


def nancumprod(x, axis=None, dtype=None):
    return jnp.nancumprod(_t(x), axis=axis, dtype=dtype)


def cumsum(x, axis=None, dtype=None):
    return jnp.cumsum(_t(x), axis=axis, dtype=dtype)


def cumprod(x, axis=None, dtype=None):
    return jnp.cumprod(_t(x), axis=axis, dtype=dtype)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(_t(x), axis=axis, keepdims=keepdims)


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(_t(x), axis=axis, keepdims=keepdims)


def argsort(x, axis=-1):
    return jnp.argsort(_t(x), axis=axis)


def argpartition(x, kth, axis=-1):
    x = _t(x)
    if axis is None:
        x, axis = jnp.ravel(x), 0
    return jnp.argpartition(x, kth, axis=axis)


def sort(x, axis=-1):
    return jnp.sort(_t(x), axis=axis)


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _to_float(y)
    return jnp.trapezoid(y, None if x is None else _t(x), dx=dx, axis=axis)


def histogram(x, bins=10, range=None):
    x = _t(x)
    if x.ndim != 1:
        raise ValueError(f"ops.histogram expects a 1-D input `x`. Received: x.shape={x.shape}")
    if not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"ops.histogram: `bins` must be a positive int. Received: bins={bins!r}")
    return jnp.histogram(x, bins=bins, range=range)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("ops.bincount: `sparse=True` needs sparse tensors, which the JAX "
                         "backend of neokeras does not support.")
    x = _t(x)
    weights = None if weights is None else _t(weights)
    # The output length depends on the values, as in Keras's JAX backend (not jit-traceable).
    length = builtins.max(int(jnp.max(x)) + 1 if x.size else 0, minlength)
    if x.ndim == 2:
        if weights is None:
            return jax.vmap(lambda row: jnp.bincount(row, length=length))(x)
        return jax.vmap(lambda r, w: jnp.bincount(r, w, length=length))(x, weights)
    return jnp.bincount(x, weights, length=length)


def digitize(x, bins):
    return jnp.digitize(_t(x), _t(bins)).astype("int32")


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence = _t(sorted_sequence)
    if sorted_sequence.ndim != 1:
        raise ValueError("ops.searchsorted only supports 1-D `sorted_sequence` (use "
                         "ops.vectorized_map for more dimensions). Received: "
                         f"sorted_sequence.shape={sorted_sequence.shape}")
    return jnp.searchsorted(sorted_sequence, _t(values), side=side).astype("int32")


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    return jnp.unique(_t(x), return_index=return_index, return_inverse=return_inverse,
                      return_counts=return_counts, axis=axis, size=size, fill_value=fill_value,
                      sorted=sorted)


def corrcoef(x):
    return jnp.corrcoef(_to_float(x))


def correlate(x1, x2, mode="valid"):
    return jnp.correlate(_to_float(x1), _to_float(x2), mode)


# ----- linear algebra on arrays -------------------------------------------------------------

def matmul(x1, x2):
    x1, x2 = _t(x1), _t(x2)
    # int8 x int8 accumulates in int32 (as Keras does, for integer matmul hardware).
    wide = "int32" if x1.dtype == jnp.int8 and x2.dtype == jnp.int8 else None
    if matmul_lowering.applies(x1, x2):
        return matmul_lowering.matmul(x1, x2)
    return jnp.matmul(x1, x2, preferred_element_type=wide)


def dot(x1, x2):
    return jnp.dot(_t(x1), _t(x2))


def vdot(x1, x2):
    return jnp.vdot(_t(x1), _t(x2))


def inner(x1, x2):
    return jnp.inner(_t(x1), _t(x2))


def outer(x1, x2):
    return jnp.outer(_t(x1), _t(x2))


def kron(x1, x2):
    return jnp.kron(_t(x1), _t(x2))


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    return jnp.cross(_t(x1), _t(x2), axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


def tensordot(x1, x2, axes=2):
    return jnp.tensordot(_t(x1), _t(x2), axes=axes)


def einsum(subscripts, *operands, **kwargs):
    operands = [_t(o) for o in operands]
    if operands and builtins.all(o.dtype == jnp.int8 for o in operands):
        kwargs.setdefault("preferred_element_type", "int32")
    return jnp.einsum(subscripts, *operands, **kwargs)


def trace(x, offset=0, axis1=0, axis2=1):
    return jnp.trace(_t(x), offset=offset, axis1=axis1, axis2=axis2)


def slogdet(x):
    return tuple(jnp.linalg.slogdet(_to_float(x)))


# ----- shape manipulation -------------------------------------------------------------------

def reshape(x, newshape):
    if isinstance(newshape, (int, np.integer)):
        newshape = (newshape,)
    return jnp.reshape(_t(x), tuple(-1 if d is None else d for d in newshape))


def ravel(x):
    return jnp.ravel(_t(x))


def transpose(x, axes=None):
    return jnp.transpose(_t(x), axes)


def swapaxes(x, axis1, axis2):
    return jnp.swapaxes(_t(x), axis1, axis2)


def moveaxis(x, source, destination):
    return jnp.moveaxis(_t(x), source, destination)


def expand_dims(x, axis):
    return jnp.expand_dims(_t(x), _axis(axis))


def squeeze(x, axis=None):
    return jnp.squeeze(_t(x), axis=_axis(axis))


def broadcast_to(x, shape):
    return jnp.broadcast_to(_t(x), shape)


def concatenate(xs, axis=0):
    return jnp.concatenate([_t(x) for x in xs], axis=axis)


def append(x1, x2, axis=None):
    return jnp.append(_t(x1), _t(x2), axis=axis)


def stack(x, axis=0):
    return jnp.stack([_t(v) for v in x], axis=axis)


def hstack(xs):
    return jnp.hstack([_t(x) for x in xs])


def vstack(xs):
    return jnp.vstack([_t(x) for x in xs])


def dstack(xs):
    return jnp.dstack([_t(x) for x in xs])


def split(x, indices_or_sections, axis=0):
    return jnp.split(_t(x), indices_or_sections, axis=axis)


def array_split(x, indices_or_sections, axis=0):
    return jnp.array_split(_t(x), indices_or_sections, axis=axis)


def hsplit(x, indices_or_sections):
    return jnp.hsplit(_t(x), indices_or_sections)


def vsplit(x, indices_or_sections):
    return jnp.vsplit(_t(x), indices_or_sections)


def dsplit(x, indices_or_sections):
    return jnp.dsplit(_t(x), indices_or_sections)


def tile(x, repeats):
    return jnp.tile(_t(x), repeats)


def repeat(x, repeats, axis=None):
    return jnp.repeat(_t(x), repeats, axis=axis)


def flip(x, axis=None):
    return jnp.flip(_t(x), axis=_axis(axis))


def fliplr(x):
    return jnp.fliplr(_t(x))


def flipud(x):
    return jnp.flipud(_t(x))


def rot90(array, k=1, axes=(0, 1)):
    array = _t(array)
    if array.ndim < 2:
        raise ValueError(f"ops.rot90 needs an input with at least 2 dimensions. "
                         f"Received: array.shape={array.shape}")
    if len(axes) != 2 or axes[0] % array.ndim == axes[1] % array.ndim:
        raise ValueError(f"ops.rot90: `axes` must be two different axes. Received: axes={axes}")
    return jnp.rot90(array, k=k, axes=tuple(axes))


def roll(x, shift, axis=None):
    return jnp.roll(_t(x), shift, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    kwargs = {}
    if constant_values is not None:
        if mode != "constant":
            raise ValueError("ops.pad: `constant_values` can only be given with "
                             f"mode='constant'. Received: mode={mode!r}")
        kwargs["constant_values"] = constant_values
    return jnp.pad(_t(x), pad_width, mode=mode, **kwargs)


def diag(x, k=0):
    return jnp.diag(_t(x), k=k)


def diagflat(x, k=0):
    return jnp.diagflat(_t(x), k=k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(_t(x), offset=offset, axis1=axis1, axis2=axis2)


def diff(a, n=1, axis=-1):
    return jnp.diff(_t(a), n=n, axis=axis)


def tril(x, k=0):
    return jnp.tril(_t(x), k=k)


def triu(x, k=0):
    return jnp.triu(_t(x), k=k)


def take(x, indices, axis=None):
    return jnp.take(_t(x), _t(indices), axis=axis)


def take_along_axis(x, indices, axis=None):
    return jnp.take_along_axis(_t(x), _t(indices), axis=axis)


def get_item(x, key):
    if isinstance(key, list):  # a tuple key comes back from JSON as a list
        key = tuple(key)
    return _t(x)[key]


def unravel_index(indices, shape):
    return tuple(jnp.unravel_index(_t(indices), shape))


def copy(x):
    return jnp.copy(_t(x))


def view(x, dtype=None):
    return _t(x).view(dtype)


def ndim(x):
    return jnp.ndim(_t(x))


def size(x):
    return _t(x).size


def vectorize(pyfunc, *, excluded=None, signature=None):
    return jnp.vectorize(pyfunc, excluded=excluded or set(), signature=signature)

