"""Keras's dtype promotion (`keras.backend.result_type`).

Keras promotes like JAX: a lattice where Python `int`/`float` are *weak* types that adopt the
dtype of the array they meet (`bfloat16 + 2.0 -> bfloat16`), ints meeting floats give the float,
and mixed signed/unsigned ints widen. Two Keras-specific rules sit on top: a weak result resolves
to the precision of `floatx()`, and 64-bit results are narrowed to 32 bits on the JAX backend
(as JAX does without x64).
"""

import functools

import numpy as np

BOOL_TYPES = ("bool",)
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
COMPLEX_TYPES = ("complex64", "complex128")
FLOAT8_TYPES = ("float8_e4m3fn", "float8_e5m2")
_WEAK_INT, _WEAK_FLOAT, _WEAK_COMPLEX = "int", "float", "complex"

# Each type points to the types directly above it; promotion is the least upper bound.
_EDGES = {
    "bool": [_WEAK_INT],
    _WEAK_INT: ["uint8", "int8", _WEAK_FLOAT],
    "uint8": ["uint16", "int16"], "uint16": ["uint32", "int32"],
    "uint32": ["uint64", "int64"], "uint64": [_WEAK_FLOAT],
    "int8": ["int16"], "int16": ["int32"], "int32": ["int64"], "int64": [_WEAK_FLOAT],
    _WEAK_FLOAT: ["bfloat16", "float16", _WEAK_COMPLEX],
    "bfloat16": ["float32"], "float16": ["float32"],
    "float32": ["float64", "complex64"], "float64": ["complex128"],
    _WEAK_COMPLEX: ["complex64"], "complex64": ["complex128"], "complex128": [],
}


def _upper_bounds():
    bounds = {}

    def above(node):
        if node not in bounds:
            bounds[node] = {node}.union(*(above(n) for n in _EDGES[node]))
        return bounds[node]

    for node in _EDGES:
        above(node)
    return bounds


_UPPER = _upper_bounds()
_NARROW_64 = {"int64": "int32", "uint64": "uint32", "float64": "float32",
              "complex128": "complex64"}


def _standardize(dtype):
    if dtype is None:
        from neokeras import config

        return config.floatx(), False
    if dtype is int:
        return _WEAK_INT, True
    if dtype is float:
        return _WEAK_FLOAT, True
    if dtype is complex:
        return _WEAK_COMPLEX, True
    if dtype is bool:
        return "bool", False
    if isinstance(dtype, str):
        name = {"int": "int32", "float": "float32", "complex": "complex64"}.get(dtype, dtype)
    elif hasattr(dtype, "name"):
        name = dtype.name
    else:
        name = np.dtype(dtype).name
    if name in FLOAT8_TYPES:
        raise ValueError("There is no implicit conversion from float8 dtypes to others; "
                         f"cast explicitly. Received: {name}")
    if name not in _EDGES:
        raise ValueError(f"Invalid dtype for Keras type promotion: {dtype!r}")
    return name, False


@functools.lru_cache(maxsize=1024)
def _least_upper_bound(nodes):
    common = set.intersection(*(_UPPER[n] for n in nodes))
    least = [c for c in common if common <= _UPPER[c]]
    if len(least) != 1:
        raise ValueError(f"Input dtypes {tuple(nodes)} have no implicit promotion path; "
                         "cast the inputs explicitly.")
    return least[0]


def result_type(*dtypes):
    """Dtype resulting from Keras's promotion rules applied to `dtypes`.

    Args:
        *dtypes: Dtype names, numpy/JAX dtypes, or the Python types `int`, `float`, `bool`
            (weak types). `None` means `floatx()`.

    Returns:
        The dtype name, e.g. `"float32"`.

    Example:

    >>> result_type("bfloat16", float)
    'bfloat16'
    >>> result_type("int32", "float16")
    'float16'
    """
    from neokeras import config

    if not dtypes:
        return config.floatx()
    nodes = tuple(sorted({_standardize(d)[0] for d in dtypes}))
    out = _least_upper_bound(nodes)
    if out in (_WEAK_INT, _WEAK_FLOAT, _WEAK_COMPLEX):
        bits = config.floatx()[-2:]
        out = {_WEAK_INT: f"int{bits}", _WEAK_FLOAT: f"float{bits}",
               _WEAK_COMPLEX: "complex64" if bits != "64" else "complex128"}[out]
    return _NARROW_64.get(out, out)
