"""`matmul_lowering`: 2-D products differentiated with plain products of materialized
transposes, the forms chosen per shape."""

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neokeras.backend.jax import matmul_lowering, trainer

# (batch, inputs, outputs): too small to pay for copies (`dy @ T(w)` and `x^T @ dy`); a small
# batch against the kernel (`T(w @ T(dy))` and `T(x) @ dy`); few outputs (`dy @ T(w)` and
# `T(T(dy) @ x)`).
SHAPES = [(6, 5, 3), (16, 64, 64), (128, 64, 8)]

def _plain(x, w):
    return jnp.sum(jnp.sin(x @ w))


def _lowered(x, w):
    return jnp.sum(jnp.sin(matmul_lowering.matmul(x, w)))


def _operands(shape):
    batch, k, n = shape
    rng = np.random.default_rng(0)
    return (jnp.asarray(rng.standard_normal((batch, k), dtype=np.float32)),
            jnp.asarray(rng.standard_normal((k, n), dtype=np.float32)))


@pytest.mark.parametrize("argnums", [(0,), (1,), (0, 1)])
@pytest.mark.parametrize("shape", SHAPES)
def test_gradients_match_the_plain_product(shape, argnums):
    operands = _operands(shape)
    got = jax.grad(_lowered, argnums)(*operands)
    want = jax.grad(_plain, argnums)(*operands)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("shape", SHAPES)
def test_forward_mode_and_second_derivatives_match(shape):
    x, w = _operands(shape)
    tangent = jnp.ones_like(x)
    np.testing.assert_allclose(jax.jvp(lambda x: _lowered(x, w), (x,), (tangent,))[1],
                               jax.jvp(lambda x: _plain(x, w), (x,), (tangent,))[1],
                               rtol=1e-5)
    # Hessian-vector products in both operands (forward over reverse through every form).
    tangents = (tangent, jnp.full_like(w, 0.5))
    got = jax.jvp(jax.grad(_lowered, (0, 1)), (x, w), tangents)[1]
    want = jax.jvp(jax.grad(_plain, (0, 1)), (x, w), tangents)[1]
    for g, v in zip(got, want):
        np.testing.assert_allclose(g, v, rtol=1e-4, atol=1e-4)
    if shape == SHAPES[0]:  # the whole Hessian of the small one
        np.testing.assert_allclose(jax.hessian(_lowered)(x, w), jax.hessian(_plain)(x, w),
                                   rtol=1e-5, atol=1e-6)


def _compiled(fn, operands):
    """`fn`'s optimized HLO, compiled as `fit` compiles a dense step (products in Eigen)."""
    return jax.jit(fn, compiler_options=trainer._CPU_EIGEN_OPTIONS).lower(*operands).compile(
        ).as_text()


def _contractions(hlo):
    return re.findall(r" dot\(.*lhs_contracting_dims=\{(\d)\}, rhs_contracting_dims=\{(\d)\}",
                      hlo)


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's products")
@pytest.mark.parametrize("argnum", [0, 1])
@pytest.mark.parametrize("shape", SHAPES[1:])
def test_backward_products_take_no_transposed_operand(shape, argnum):
    # Eigen's plain form: the lhs contracts its columns, the rhs its rows.
    hlo = _compiled(jax.grad(_lowered, argnum), _operands(shape))
    assert _contractions(hlo) == [("1", "0")] * 2


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="XLA:CPU's products")
def test_small_products_keep_the_kernel_transpose_only():
    operands = _operands(SHAPES[0])
    kernel_gradient = _compiled(jax.grad(_lowered, 1), operands)
    assert " transpose(" not in kernel_gradient  # `x^T @ dy`: a first layer copies nothing
    assert _contractions(kernel_gradient) == [("1", "0"), ("0", "0")]
    input_gradient = _compiled(jax.grad(_lowered, 0), operands)
    assert re.findall(r"= (f32\[[\d,]+\])\{0,1\} transpose\(", input_gradient) == ["f32[3,5]"]


def test_applies_only_inside_the_context_to_2d_float32_products():
    x2, w2 = jnp.ones((4, 3)), jnp.ones((3, 2))
    assert not matmul_lowering.applies(x2, w2)
    with matmul_lowering.transposed_kernels():
        assert matmul_lowering.applies(x2, w2)
        assert not matmul_lowering.applies(jnp.ones((2, 4, 3)), w2)
        assert not matmul_lowering.applies(x2.astype("int32"), w2.astype("int32"))
        assert not matmul_lowering.applies(x2.astype("float16"), w2)
        assert not matmul_lowering.applies(x2.astype("bfloat16"), w2.astype("bfloat16"))
    assert not matmul_lowering.applies(x2, w2)
