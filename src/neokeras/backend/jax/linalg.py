"""Linear algebra of `keras.ops.linalg` on `jax.Array` (matrices are the last two axes)."""

import jax
import jax.numpy as jnp
import jax.scipy as jsp

from neokeras.backend.jax.numpy import _t, _to_float

__all__ = [
    "cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq", "lu_factor",
    "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular", "svd",
]


def _square(x, op, name="x"):
    x = _to_float(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"ops.{op} expects square matrices in the last two axes of `{name}`. "
                         f"Received: {name}.shape={x.shape}")
    return x


def _matrix(x, op):
    x = _to_float(x)
    if x.ndim < 2:
        raise ValueError(f"ops.{op} expects an input of rank >= 2. Received: shape={x.shape}")
    return x


def cholesky(x, upper=False):
    out = jnp.linalg.cholesky(_square(x, "cholesky"), upper=upper)
    if not isinstance(out, jax.core.Tracer) and bool(jnp.any(jnp.isnan(out))):
        raise ValueError("ops.cholesky failed: the input is not a symmetric positive definite "
                         "matrix.")
    return out


def cholesky_inverse(x, upper=False):
    x = _square(x, "cholesky_inverse")
    eye = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    inv_factor = jsp.linalg.solve_triangular(x, eye, lower=not upper)
    if upper:
        return inv_factor @ jnp.swapaxes(inv_factor, -1, -2)
    return jnp.swapaxes(inv_factor, -1, -2) @ inv_factor


def det(x):
    return jnp.linalg.det(_square(x, "det"))


def eig(x):
    return jnp.linalg.eig(_square(x, "eig"))


def eigh(x):
    return jnp.linalg.eigh(_square(x, "eigh"))


def inv(x):
    return jnp.linalg.inv(_square(x, "inv"))


def lu_factor(x):
    x = _matrix(x, "lu_factor")
    fn = jsp.linalg.lu_factor
    for _ in range(x.ndim - 2):
        fn = jax.vmap(fn)
    return fn(x)


def norm(x, ord=None, axis=None, keepdims=False):
    x = _to_float(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims)


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError("ops.qr: `mode` must be 'reduced' or 'complete'. "
                         f"Received: mode={mode!r}")
    return jnp.linalg.qr(_matrix(x, "qr"), mode=mode)


def solve(a, b):
    a, b = _square(a, "solve", "a"), _to_float(b)
    return jnp.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    a, b = _square(a, "solve_triangular", "a"), _to_float(b)
    return jsp.linalg.solve_triangular(a, b, lower=lower)


def svd(x, full_matrices=True, compute_uv=True):
    return jnp.linalg.svd(_matrix(x, "svd"), full_matrices=full_matrices, compute_uv=compute_uv)


def lstsq(a, b, rcond=None):
    return jnp.linalg.lstsq(_to_float(a), _to_float(b), rcond=rcond)[0]


def matrix_rank(x, tol=None):
    return jnp.linalg.matrix_rank(_matrix(x, "matrix_rank"), tol).astype("int32")


def pinv(x, rcond=None):
    return jnp.linalg.pinv(_matrix(x, "pinv"), rtol=rcond)


def jvp(fun, primals, tangents, has_aux=False):
    return jax.jvp(fun, primals, tangents, has_aux=has_aux)
