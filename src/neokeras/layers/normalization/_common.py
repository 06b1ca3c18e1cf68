"""Helpers shared by the normalization layers."""

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
    axes = [axis] if isinstance(axis, int) else list(axis)
    result = []
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, int) or not -ndim <= a < ndim:
            raise ValueError(f"{owner}: axis {a!r} is out of range for inputs of rank {ndim}. "
                             f"Received: axis={axis!r}")
        result.append(a % ndim)
    if len(set(result)) != len(result):
        raise ValueError(f"{owner}: repeated axis. Received: axis={axis!r}")
    return tuple(sorted(result))


def check_axis_arg(axis, owner):
    """Accepts an int or a non-empty list/tuple of ints; returns it (lists kept as lists)."""
    if isinstance(axis, (list, tuple)) and axis and all(
            isinstance(a, int) and not isinstance(a, bool) for a in axis):
        return list(axis)
    if isinstance(axis, int) and not isinstance(axis, bool):
        return axis
    raise TypeError(f"{owner}: `axis` must be an int or a list of ints. Received: axis={axis!r}")


def affine_config(layer):
    """The config entries of a normalization layer's `gamma`/`beta` options."""
    return {"beta_initializer": initializers.serialize(layer.beta_initializer),
            "gamma_initializer": initializers.serialize(layer.gamma_initializer),
            "beta_regularizer": regularizers.serialize(layer.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(layer.gamma_regularizer),
            "beta_constraint": constraints.serialize(layer.beta_constraint),
            "gamma_constraint": constraints.serialize(layer.gamma_constraint)}
