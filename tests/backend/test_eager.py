"""The eager step scope of the JAX backend: conversions of values being differentiated, Python
loops, and JAX's own behaviour everywhere else."""

import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neokeras import ops
from neokeras.backend.jax.eager import eager_step

W = np.array([1.0, -2.0, 3.0], "float32")


def _conversions(w):
    return {"asarray": lambda: np.asarray(w), "float": lambda: float(w[0]),
            "tolist": lambda: w.tolist(), "format": lambda: f"{w[0]:.2f}",
            "complex": lambda: complex(w[0])}


@pytest.mark.parametrize("kind", list(_conversions(W)))
def test_conversions_of_differentiated_values_give_the_value_inside_a_step(kind):
    seen = {}

    def f(w):
        seen["value"] = _conversions(w)[kind]()
        return jnp.sum(w ** 2)

    with eager_step():
        grad = jax.grad(f)(jnp.asarray(W))
    expected = _conversions(W)[kind]()
    if isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(seen["value"], expected)
    else:
        assert seen["value"] == expected
    np.testing.assert_allclose(grad, 2 * W)


@pytest.mark.parametrize("kind", list(_conversions(W)))
def test_outside_a_step_jax_still_refuses_the_conversions(kind):
    with eager_step():  # installs the converters; they must not act after the step
        pass

    def f(w):
        _conversions(w)[kind]()
        return jnp.sum(w)

    with pytest.raises((jax.errors.TracerArrayConversionError,
                        jax.errors.ConcretizationTypeError, TypeError)):
        jax.grad(f)(jnp.asarray(W))


def test_numpy_values_are_detached_from_the_gradient():
    # d/dw [w * stop(w)] = stop(w): the numpy copy is a constant, as TensorFlow's .numpy() is.
    with eager_step():
        grad = jax.grad(lambda w: jnp.sum(w * np.asarray(w)))(jnp.asarray(W))
    np.testing.assert_allclose(grad, W)


def test_values_without_a_concrete_value_still_raise_inside_a_step():
    with eager_step(), pytest.raises(jax.errors.TracerArrayConversionError):
        jax.make_jaxpr(lambda w: np.asarray(w))(jnp.asarray(W))


def test_loops_and_branches_run_in_python_on_concrete_values():
    seen = []

    def body(carry, x):
        seen.append(np.asarray(x).item())
        return carry + x, carry

    def loss(w):
        total, _ = ops.scan(body, 0.0, w)
        kept = ops.cond(total > 0, lambda: total, lambda: -total)
        return ops.while_loop(lambda v: v < 100.0, lambda v: v * 2.0, kept)

    with eager_step():
        value, grad = jax.value_and_grad(loss)(jnp.asarray(W))
    assert seen == W.tolist()
    assert float(value) == 128.0  # 2.0 doubled six times
    np.testing.assert_allclose(grad, [64.0, 64.0, 64.0])


def test_the_scope_is_per_thread_and_nests():
    errors = []
    inside, release = threading.Event(), threading.Event()

    def other_thread():
        inside.wait()
        try:
            jax.grad(lambda w: jnp.sum(w) + float(np.asarray(w).sum()))(jnp.asarray(W))
        except jax.errors.TracerArrayConversionError:
            errors.append("refused")
        release.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with eager_step():
        with eager_step():
            pass
        inside.set()
        release.wait()
        grad = jax.grad(lambda w: jnp.sum(w) + float(np.asarray(w).sum()))(jnp.asarray(W))
    thread.join()
    assert errors == ["refused"]
    np.testing.assert_allclose(grad, np.ones(3))
