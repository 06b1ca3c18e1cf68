"""`neokeras.ops` core (control flow, shape inference) and nn (one-hot, crossentropies) ops."""

import numpy as np
import pytest

from neokeras import ops
from neokeras.backend import KerasTensor


def assert_close(actual, expected, tol=1e-5):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=tol, atol=tol)


def test_one_hot():
    out = ops.one_hot(np.array([0, 2, 1]), 3)
    assert_close(out, np.eye(3)[[0, 2, 1]])
    assert str(out.dtype) == "float32"
    assert ops.one_hot(np.array([1]), 4, axis=0).shape == (4, 1)


def test_log_softmax_and_log_sigmoid():
    x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 50.0]], "float32")
    ref = x - x.max(-1, keepdims=True)
    ref = ref - np.log(np.exp(ref).sum(-1, keepdims=True))
    assert_close(ops.log_softmax(x), ref)
    assert_close(ops.log_sigmoid(np.array([-3.0, 0.0, 3.0])), -np.log1p(np.exp(-np.array([-3.0, 0, 3]))))


def test_crossentropies_against_numpy():
    t = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], "float32")
    logits = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]], "float32")
    sm = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    expected = -np.log((t * sm).sum(-1))
    assert_close(ops.categorical_crossentropy(t, logits, from_logits=True), expected)
    assert_close(ops.categorical_crossentropy(t, sm), expected, 1e-4)
    assert_close(ops.sparse_categorical_crossentropy(np.array([1, 0]), logits, from_logits=True),
          expected)
    # Large logits stay finite.
    big = np.array([[1000.0, -1000.0]], "float32")
    assert np.isfinite(np.asarray(ops.binary_crossentropy(np.array([[0.0, 1.0]]), big,
                                                          from_logits=True))).all()


def test_stop_gradient_and_cond_scan_loops():
    assert_close(ops.stop_gradient(np.array([1.0, 2.0])), [1.0, 2.0])
    assert_close(ops.cond(True, lambda: 1.0, lambda: 2.0), 1.0)
    assert_close(ops.cond(False, lambda: 1.0, lambda: 2.0), 2.0)
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, np.arange(1.0, 5.0, dtype="float32"))
    assert_close(carry, 10.0)
    assert_close(ys, [0.0, 2.0, 9.0, 24.0])
    assert_close(ops.fori_loop(0, 5, lambda i, v: v + i, 0), 10)
    assert_close(ops.while_loop(lambda v: v < 10, lambda v: v * 2, 1), 16)


def test_compute_output_spec_with_unknown_batch():
    spec = ops.compute_output_spec(lambda x: ops.reshape(x, (-1, 6)) * 2, KerasTensor((None, 2, 3)))
    assert spec.shape == (None, 6) and spec.dtype == "float32"
    fixed = ops.compute_output_spec(lambda x: ops.sum(x, axis=0), KerasTensor((5, 3), "int32"))
    assert fixed.shape == (3,) and fixed.dtype == "int32"


def test_ops_are_differentiable_in_a_model():
    """A mix of ops inside a custom layer trains (gradients flow through every one)."""
    import neokeras

    class Mix(neokeras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            h = ops.tanh(x * self.w) + ops.softplus(x) - ops.log1p(ops.square(x))
            return ops.sum(ops.softmax(h) * h, axis=-1, keepdims=True)

    model = neokeras.Sequential([neokeras.Input((3,)), Mix()])
    model.compile(neokeras.optimizers.SGD(0.1), "mse")
    x = np.random.default_rng(0).standard_normal((16, 3)).astype("float32")
    y = np.ones((16, 1), "float32")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before


@pytest.mark.parametrize("name", ["relu", "sigmoid", "softmax", "tanh"])
def test_ops_match_real_keras(name):
    import os

    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    x = np.random.default_rng(1).standard_normal((4, 5)).astype("float32")
    assert_close(getattr(ops, name)(x), np.asarray(getattr(keras.ops, name)(x)), 1e-6)
