"""`matmul_lowering`: 2-D products differentiated with a materialized transpose of the kernel."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neokeras.backend.jax import matmul_lowering


def _plain(x, w):
    return jnp.sum(jnp.sin(x @ w))


def _lowered(x, w):
    return jnp.sum(jnp.sin(matmul_lowering.matmul(x, w)))


@pytest.fixture
def operands():
    rng = np.random.default_rng(0)
    return (jnp.asarray(rng.standard_normal((6, 5), dtype=np.float32)),
            jnp.asarray(rng.standard_normal((5, 3), dtype=np.float32)))


@pytest.mark.parametrize("argnums", [(0,), (1,), (0, 1)])
def test_gradients_match_the_plain_product(operands, argnums):
    got = jax.grad(_lowered, argnums)(*operands)
    want = jax.grad(_plain, argnums)(*operands)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-6)


def test_forward_mode_and_second_derivatives_match(operands):
    x, w = operands
    tangent = jnp.ones_like(x)
    np.testing.assert_allclose(jax.jvp(lambda x: _lowered(x, w), (x,), (tangent,))[1],
                               jax.jvp(lambda x: _plain(x, w), (x,), (tangent,))[1], rtol=1e-6)
    np.testing.assert_allclose(jax.hessian(_lowered)(x, w), jax.hessian(_plain)(x, w),
                               rtol=1e-5, atol=1e-6)


def test_the_kernel_is_transposed_only_for_an_input_gradient(operands):
    # The gradient of the kernel alone (a first layer, whose input needs none) has no transpose.
    def instructions(fn):
        return jax.jit(fn).lower(*operands).compile().as_text()

    assert " transpose(" in instructions(jax.grad(_lowered, (0, 1))) or \
        "transpose_copy_fusion" in instructions(jax.grad(_lowered, (0, 1)))
    kernel_only = instructions(jax.grad(_lowered, 1))
    assert " transpose(" not in kernel_only and "transpose_copy_fusion" not in kernel_only


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
