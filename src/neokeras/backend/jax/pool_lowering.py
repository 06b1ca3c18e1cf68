"""Max pooling as the maximum of strided slices, for a fast gradient on CPU.

`lax.reduce_window(max)` differentiates through XLA's select-and-scatter, which XLA:CPU runs
~30x slower than the forward pass (a 2x2 pool of a (128, 26, 26, 32) activation: ~70 ms for
forward and backward, against ~2.3 ms written as below). Each position in the window is one
strided slice of the (padded) input, so the pool is an elementwise maximum of those slices; its
gradient is a sum of strided pads, with no scatter. Its gradient goes, like select-and-scatter's,
to the first maximum of each window in row-major window order (elementwise `maximum` would
split it between ties): the value is written as a `select` of the slices under masks computed
from the values outside differentiation, so JAX's own derivative of `select` routes it. Windows
holding a NaN give NaN, as the native pool does.

Used on CPU only, for windows of up to 16 positions; `NEOKERAS_MAX_POOL_LOWERING=native` (or
`slices`) forces one lowering.
"""

import functools
import itertools
import math
import os

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

# A window of more positions stays native: one slice per position would make a large program.
_MAX_POSITIONS = 16


def use_slices(inputs, window, strides):
    """Whether `max_pool` should use `slices_max_pool` for these arguments."""
    forced = os.environ.get("NEOKERAS_MAX_POOL_LOWERING", "").lower()
    if forced == "native":
        return False
    if not jnp.issubdtype(inputs.dtype, jnp.floating) or math.prod(window) > _MAX_POSITIONS:
        return False
    if any(not isinstance(d, int) for d in inputs.shape):
        return False
    return forced == "slices" or jax.default_backend() == "cpu"


# Compiled as one program: run eagerly, its dozens of slices and selects would each compile alone.
@functools.partial(jax.jit, static_argnums=(1, 2, 3))
def slices_max_pool(inputs, window, strides, padding):
    """Max pooling (full-rank `window` and `strides`, ones on batch and channels)."""
    pads = lax.padtype_to_pads(inputs.shape, window, strides, padding)
    out = [(n + lo + hi - w) // s + 1
           for n, (lo, hi), w, s in zip(inputs.shape, pads, window, strides)]
    # Pad ("same") with -inf, which never wins, and crop ("valid") the rows no window covers;
    # a negative high pad crops.
    config = [(lo, (o - 1) * s + w - n - lo, 0)
              for n, (lo, _), w, s, o in zip(inputs.shape, pads, window, strides, out)]
    x = lax.pad(inputs, np.array(-np.inf, inputs.dtype), config)
    pieces = [lax.slice(x, offset, [o + (n - 1) * s + 1 for o, n, s in zip(offset, out, strides)],
                        strides)
              for offset in itertools.product(*(range(w) for w in window))]
    if len(pieces) == 1:
        return pieces[0]
    frozen = [lax.stop_gradient(p) for p in pieces]
    best = frozen[0]
    for p in frozen[1:]:
        best = jnp.maximum(best, p)
    result = pieces[-1]
    # From the last position to the first, so that the first maximum is the one selected.
    for piece, value in zip(pieces[-2::-1], frozen[-2::-1]):
        result = jnp.where(value == best, piece, result)
    # A window with a NaN matches no position: its value is the NaN maximum.
    return jnp.where(jnp.isnan(best), best, result)
