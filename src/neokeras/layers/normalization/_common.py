"""Helpers shared by the normalization layers."""

import numbers

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers


def upcast(x):
    """Half-precision inputs are normalized in float32 (their variance overflows easily)."""
    if str(x.dtype) in ("float16", "bfloat16"):
        return ops.cast(x, "float32")
    return x


def canonical_axes(axis, ndim, owner):
    """`axis` (int or sequence) as a sorted tuple of non-negative axes of an `ndim` input."""
    axes = [axis] if isinstance(axis, numbers.Integral) else list(axis)
    result = []
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, numbers.Integral) or not -ndim <= a < ndim:
            raise ValueError(f"{owner}: axis {a!r} is out of range for inputs of rank {ndim}. "
                             f"Received: axis={axis!r}")
        result.append(int(a) % ndim)
    if len(set(result)) != len(result):
        raise ValueError(f"{owner}: repeated axis. Received: axis={axis!r}")
    return tuple(sorted(result))


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_axis_arg(axis, owner):
    """Accepts an int or a non-empty list/tuple of ints (numpy ints too); returns Python ints,
    a list for a sequence."""
    if isinstance(axis, (list, tuple)) and axis and all(_is_int(a) for a in axis):
        return [int(a) for a in axis]
    if _is_int(axis):
        return int(axis)
    raise TypeError(f"{owner}: `axis` must be an int or a list of ints. Received: axis={axis!r}")


def affine_config(layer):
    """The config entries of a normalization layer's `gamma`/`beta` options."""
    return {"beta_initializer": initializers.serialize(layer.beta_initializer),
            "gamma_initializer": initializers.serialize(layer.gamma_initializer),
            "beta_regularizer": regularizers.serialize(layer.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(layer.gamma_regularizer),
            "beta_constraint": constraints.serialize(layer.beta_constraint),
            "gamma_constraint": constraints.serialize(layer.gamma_constraint)}
