"""Matrix products for XLA:CPU's Eigen kernels in a compiled training step.

A step whose products run in Eigen (the fused training loop of a model without convolutions,
see `trainer.make_chunk_function`) multiplies by a transposed operand at about half the rate of
a plain one (the MLP benchmark's 128x512 by 512x512 input gradient: ~100 against ~180 GFLOP/s),
and far slower for a thin one (its 512x128 by 128x10 kernel gradient: ~15 GFLOP/s). Inside
`transposed_kernels()` a 2-D float32 product `y = x @ w` is differentiated with both backward
products in that plain form, from materialized transposes (an optimization barrier keeps XLA
from folding a transpose back into the product), chosen per shape to copy the fewest elements:

- the input gradient `dy @ w^T` as `dy @ T(w)` (one copy of the kernel), or as
  `T(w @ T(dy))` (two copies of batch-sized arrays) when the batch is small against the kernel;
- the kernel gradient `x^T @ dy` as `T(x) @ dy`, or as `T(T(dy) @ x)` when the layer has few
  outputs against its batch and inputs.

Products under `_SMALL` multiply-adds keep `dy @ T(w)` and `x^T @ dy` (each copy would cost more
than it saves). The sums are the same; only their order inside the product kernel may differ.
"""

import functools

import jax
import jax.numpy as jnp
from jax import lax
from jax.custom_derivatives import SymbolicZero

from neokeras.backend.common.thread_flag import ThreadFlag

_active = ThreadFlag()


def transposed_kernels():
    """2-D matrix products traced inside are differentiated with materialized transposes."""
    return _active.set()


def applies(x1, x2):
    """Whether `matmul(x1, x2)` should take the materialized-transpose gradient."""
    return (bool(_active) and x1.ndim == 2 and x2.ndim == 2
            and x1.dtype == x2.dtype == jnp.float32)


@jax.custom_jvp
def matmul(x, w):
    """`x @ w`, differentiated with plain products of materialized transposes."""
    return x @ w


@functools.partial(matmul.defjvp, symbolic_zeros=True)
def _matmul_jvp(primals, tangents):
    x, w = primals
    dx, dw = tangents
    out = x @ w
    terms = []
    if not isinstance(dx, SymbolicZero):
        terms.append(_input_term(dx, w))
    if not isinstance(dw, SymbolicZero):
        terms.append(_kernel_term(x, dw))
    tangent = functools.reduce(lambda a, b: a + b, terms) if terms else jnp.zeros_like(out)
    return out, tangent


def _input_term(dx, w):
    """`dx @ w`, written so that its transpose (the input gradient) is a plain product."""
    (batch, k), n = dx.shape, w.shape[1]
    if not _small(batch, k, n) and batch * (n + k) < k * n:
        # Transposes to `T(w @ T(dy))`.
        return _transposed(lax.dot_general(w, _transposed(dx), (((0,), (0,)), ((), ()))))
    return lax.dot_general(dx, _transposed(w), (((1,), (1,)), ((), ())))  # `dy @ T(w)`


def _kernel_term(x, dw):
    """`x @ dw`, written so that its transpose (the kernel gradient) is a plain product."""
    (batch, k), n = x.shape, dw.shape[1]
    if _small(batch, k, n):
        return x @ dw  # transposes to `x^T @ dy`
    if batch * n + k * n < batch * k:
        # Transposes to `T(T(dy) @ x)`.
        return _transposed(lax.dot_general(_transposed(dw), x, (((1,), (1,)), ((), ()))))
    return lax.dot_general(_transposed(x), dw, (((0,), (0,)), ((), ())))  # `T(x) @ dy`


def _small(*dims):
    """Whether a product of these sizes keeps the plain backward forms (also for symbolic sizes,
    which have no cost to compare)."""
    return not all(isinstance(d, int) for d in dims) or dims[0] * dims[1] * dims[2] < _SMALL


def _transposed(a):
    """`a.T` as a copy of its own, which XLA does not fold into a product. A barrier on both
    sides: transposing a linear term for reverse mode reverses the order of its operations."""
    return lax.optimization_barrier(lax.optimization_barrier(a).T)


# Multiply-adds under which a product keeps its plain backward forms (the MLP benchmark's
# smallest, 128x512x10, gains ~0.06 ms per step from its kernel gradient's form).
_SMALL = 1 << 16
