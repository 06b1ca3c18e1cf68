"""Matrix products for XLA:CPU's Eigen kernels in a compiled training step.

A step whose products run in Eigen (the fused training loop of a model without convolutions,
see `trainer.make_chunk_function`) multiplies by a transposed operand at about half the rate of
a plain one (the MLP benchmark's 128x512 by 512x512 input gradient: ~100 against ~180 GFLOP/s).
Inside `transposed_kernels()` a 2-D float32 product `x @ w` is differentiated with the input gradient
`dy @ w^T` taken from a materialized copy of `w^T` (an optimization barrier keeps XLA from
folding the transpose back into the product), which costs one pass over the kernel per step.
The sums are the same; only their order inside the product kernel may differ.
"""

import contextlib
import functools
import threading

import jax
import jax.numpy as jnp
from jax import lax
from jax.custom_derivatives import SymbolicZero

_state = threading.local()


@contextlib.contextmanager
def transposed_kernels():
    """2-D matrix products traced inside are differentiated with materialized transposes."""
    previous = getattr(_state, "active", False)
    _state.active = True
    try:
        yield
    finally:
        _state.active = previous


def applies(x1, x2):
    """Whether `matmul(x1, x2)` should take the materialized-transpose gradient."""
    return (getattr(_state, "active", False) and x1.ndim == 2 and x2.ndim == 2
            and x1.dtype == x2.dtype == jnp.float32)


@jax.custom_jvp
def matmul(x, w):
    """`x @ w`, differentiated with `dy @ w^T` from a materialized `w^T`."""
    return x @ w


@functools.partial(matmul.defjvp, symbolic_zeros=True)
def _matmul_jvp(primals, tangents):
    x, w = primals
    dx, dw = tangents
    out = x @ w
    # The tangent's dx term `dx @ w`, written as a product with `w^T` on its contracting axis,
    # transposes (in reverse mode) to the plain product `dy @ w^T`.
    terms = []
    if not isinstance(dx, SymbolicZero):
        transposed = lax.optimization_barrier(w.T)
        terms.append(lax.dot_general(dx, transposed, (((1,), (1,)), ((), ()))))
    if not isinstance(dw, SymbolicZero):
        terms.append(x @ dw)
    tangent = functools.reduce(lambda a, b: a + b, terms) if terms else jnp.zeros_like(out)
    return out, tangent
