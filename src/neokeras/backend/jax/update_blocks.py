"""Optimizer updates of large variables one block of rows at a time, in XLA:CPU training loops.

An Adam update reads a variable's gradient, value, `m` and `v` and writes the last three. XLA:CPU
makes one loop per output (it has no multi-output loop fusion), so the update streams ten
arrays of the variable's size through memory, where one loop would stream seven. Written as a
sequence of blocks of ~128 KB per array, each block's three loops find what they read in the
core's cache, and memory sees seven passes again (the MLP benchmark's two large kernels: ~0.1 ms
less per step). Each block is written back with `dynamic_update_slice`, in place only under the
training loop's copy insertion with region analysis (`trainer._CPU_LOOP_OPTIONS`) and when
the loop provably runs after every other read of the variable (`block_offset`); elsewhere XLA
copies the arrays, so the blocks are only taken inside `blocked()`, which the CPU training loop
enters. The whole blocks run in a loop, so that the compiled step has one body per variable
rather than three operations per block (static blocks: ~1 s more compilation for the MLP
benchmark). Optimizers take the blocks through `Optimizer._assign_elementwise` (Adam, AdamW,
Nadam, Adamax, SGD with momentum, RMSprop, Lion, Adagrad, Adadelta).
"""

import math

import jax.numpy as jnp
from jax import lax

from neokeras.backend.common.thread_flag import ThreadFlag

_blocked = ThreadFlag()

# Elements per block of each array (~128 KB of float32: the block of the four arrays read and
# the three written stays within a core's L2); variables of fewer than `_MIN_BLOCKS` blocks are
# updated whole.
_BLOCK_ELEMENTS = 1 << 15
_MIN_BLOCKS = 4


def blocked():
    """Optimizer updates traced inside take blocks of rows (see `block_rows`)."""
    return _blocked.set()


def block_rows(shape):
    """Rows (along the first axis) per block for an elementwise update of a variable of `shape`,
    or None to update it whole."""
    if not _blocked or len(shape) == 0 or not all(isinstance(d, int) for d in shape):
        return None
    if math.prod(shape) < _MIN_BLOCKS * _BLOCK_ELEMENTS:
        return None
    rows = max(1, _BLOCK_ELEMENTS // math.prod(shape[1:]))
    if rows >= shape[0]:
        return None
    # Rows that divide the first axis, if some within half of the target do: no left-over
    # block to compile after the loop.
    dividing = [r for r in range(rows, (rows - 1) // 2, -1) if shape[0] % r == 0]
    return dividing[0] if dividing else rows


def block_offset(grads):
    """Inside `blocked()`, an int32 zero that XLA cannot fold, computed from one element of each
    gradient (else None). The optimizer's block loops start their rows from it, so they run
    after every gradient is computed: then XLA can tell that the step's other reads of a
    variable (a kernel read again for the input gradient of the layer below) come before the
    loop that updates it in place, and does not copy the variable into the loop."""
    if not _blocked:
        return None
    zero = jnp.zeros((), jnp.int32)
    for gradient in grads:
        if gradient.size == 0:
            continue
        first = jnp.ravel(gradient)[0].astype(jnp.float32)
        bits = lax.bitcast_convert_type(first, jnp.int32)
        zero = zero + jnp.minimum(jnp.maximum(bits, 0), 0)
    return zero
