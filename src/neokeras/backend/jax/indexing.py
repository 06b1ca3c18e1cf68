"""Indexed reads and writes of `keras.ops.core`: slice, scatter, and their updates."""

import jax
import jax.numpy as jnp

from neokeras.backend.jax.numpy import _t

__all__ = ["scatter", "scatter_update", "slice", "slice_update", "unstack"]


def _index_tuple(indices, rank, op):
    indices = _t(indices)
    if indices.ndim < 1 or indices.shape[-1] > rank:
        raise ValueError(f"ops.{op}: `indices` must have shape (..., k) with k <= {rank} "
                         f"(the rank of the target). Received: indices.shape={indices.shape}")
    return tuple(jnp.moveaxis(indices, -1, 0))


def scatter(indices, values, shape):
    """Zeros of `shape` with `values` added at `indices` (repeated indices accumulate)."""
    values = _t(values)
    key = _index_tuple(indices, len(shape), "scatter")
    return jnp.zeros(shape, values.dtype).at[key].add(values)


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = _t(inputs)
    key = _index_tuple(indices, inputs.ndim, "scatter_update")
    updates = _t(updates)
    at = inputs.at[key]
    if reduction is None:
        return at.set(updates)
    reducers = {"add": at.add, "max": at.max, "min": at.min, "mul": at.multiply}
    if reduction not in reducers:
        raise ValueError("ops.scatter_update: `reduction` must be None, 'add', 'max', 'min' or "
                         f"'mul'. Received: reduction={reduction!r}")
    return reducers[reduction](updates)


def slice(inputs, start_indices, shape):
    inputs = _t(inputs)
    if len(shape) != inputs.ndim:
        raise ValueError(f"ops.slice: `shape` needs one size per dimension of `inputs` "
                         f"(rank {inputs.ndim}). Received: shape={shape}")
    if isinstance(start_indices, (list, tuple)):
        sizes = tuple(int(inputs.shape[i] - start_indices[i]) if s == -1 else int(s)
                      for i, s in enumerate(shape))
    else:
        sizes = tuple(int(s) for s in shape)
    return jax.lax.dynamic_slice(inputs, tuple(start_indices) if isinstance(
        start_indices, (list, tuple)) else _t(start_indices), sizes)


def slice_update(inputs, start_indices, updates):
    inputs, updates = _t(inputs), _t(updates)
    if isinstance(start_indices, (list, tuple)):
        start_indices = tuple(start_indices)
    return jax.lax.dynamic_update_slice(inputs, updates.astype(inputs.dtype), start_indices)


def unstack(x, num=None, axis=0):
    x = _t(x)
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"ops.unstack: `num`={num} does not match the size {x.shape[axis]} of "
                         f"axis {axis}.")
    return [jax.lax.index_in_dim(x, i, axis, keepdims=False) for i in range(x.shape[axis])]

