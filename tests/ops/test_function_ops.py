"""Ops that take functions (control flow, maps, custom gradients), against real Keras.

They cannot share the oracle table's argument handling (their arguments are callables), so
each row here is a callable that runs the op on one `ops` namespace; the test runs it on
`neokeras.ops` and on `keras.ops` and compares the outputs, eagerly and under `jax.jit`.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neokeras import ops as nops

keras = pytest.importorskip("keras")

XS = np.arange(1.0, 6.0, dtype="float32")


def _scan(ops):
    return ops.scan(lambda c, x: (c + x, c * x), 0.0, XS)


def _scan_reverse(ops):
    return ops.scan(lambda c, x: (c * 2 + x, c), 1.0, XS, reverse=True, unroll=2)


def _scan_length(ops):
    return ops.scan(lambda c, _: (c + 1.0, c), 0.0, None, length=3)


def _associative_scan(ops):
    return ops.associative_scan(lambda a, b: a + b, XS)


def _associative_scan_tree(ops):
    return ops.associative_scan(lambda a, b: (a[0] * b[0], a[1] + b[1]),
                                (XS, XS.reshape(5)), reverse=True)


def _map(ops):
    return ops.map(lambda x: x * x + 1.0, XS.reshape(5, 1))


def _fori_loop(ops):
    return ops.fori_loop(0, 4, lambda i, v: v * 2.0 + i, 1.0)


def _while_loop(ops):
    return ops.while_loop(lambda v: v < 50.0, lambda v: v * 3.0, 1.0)


def _while_loop_tuple(ops):
    return ops.while_loop(lambda a, b: a < 10, lambda a, b: (a + 1, b * 2.0), (0, 1.0),
                          maximum_iterations=4)


def _cond(ops):
    return ops.cond(XS.sum() > 3.0, lambda: XS * 2.0, lambda: XS)


def _switch(ops):
    return ops.switch(1, [lambda x: x + 1.0, lambda x: x * 10.0, lambda x: -x], XS)


def _vectorized_map(ops):
    return ops.vectorized_map(lambda row: ops.sum(row * row), XS.reshape(5, 1))


def _vectorize(ops):
    return ops.vectorize(lambda a, b: a * b + 1.0)(XS, XS[::-1])


def _custom_gradient(ops):
    @ops.custom_gradient
    def clipped_square(x):
        def grad(*upstream):
            return upstream[0] * ops.clip(2.0 * x, -1.0, 1.0)

        return x * x, grad

    return jax.grad(lambda x: jnp.sum(clipped_square(x)))(jnp.asarray(XS - 3.0))


def _jvp(ops):
    return ops.jvp(lambda x: ops.sin(x) * x, (XS,), (np.ones_like(XS),))


CASES = [_scan, _scan_reverse, _scan_length, _associative_scan, _associative_scan_tree, _map,
         _fori_loop, _while_loop, _while_loop_tuple, _cond, _switch, _vectorized_map, _vectorize,
         _custom_gradient, _jvp]


def _assert_same(ours, theirs):
    ours, theirs = jax.tree_util.tree_leaves(ours), jax.tree_util.tree_leaves(theirs)
    assert len(ours) == len(theirs)
    for a, e in zip(ours, theirs):
        assert np.shape(a) == np.shape(e)
        assert jnp.result_type(a) == jnp.result_type(e)
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=[c.__name__[1:] for c in CASES])
def test_matches_keras_eager_and_jitted(case):
    expected = case(keras.ops)
    _assert_same(case(nops), expected)
    _assert_same(jax.jit(lambda: case(nops))(), expected)


def test_scan_rejects_bad_unroll_and_missing_length():
    with pytest.raises(ValueError, match="unroll"):
        nops.scan(lambda c, x: (c, x), 0.0, XS, unroll=0)
    with pytest.raises(ValueError, match="length"):
        nops.scan(lambda c, x: (c, x), 0.0)


def test_user_errors_inside_functions_are_not_rewritten():
    def body(c, x):
        raise ValueError("my own error")

    with pytest.raises(ValueError, match="^my own error"):
        nops.scan(body, 0.0, XS)
