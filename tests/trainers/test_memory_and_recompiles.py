"""Memory and recompilation checks (user pain #3, #4 and #12).

- Inference on varying small batch sizes (`predict`, `predict_on_batch`, `model(x)`) pads the
  rows to powers of two, so it compiles a few programs, with outputs equal to the unpadded ones.
- MEMORY TESTS: `test_memory_flat_*` assert that the process RSS stays flat over thousands of
  `predict` calls and over a hundred models built and compiled in a loop, a fifth of them
  fitted (Linux only: they read /proc/self/statm). They take a few seconds to ~30 s each.
"""

import gc
import os
import weakref

import numpy as np
import pytest

import neokeras
from neokeras import layers


def _dense_model():
    return neokeras.Sequential([
        layers.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(3)])


def _numpy_dense_forward(model, x):
    (w1, b1, w2, b2) = [np.asarray(w, dtype=np.float64) for w in model.get_weights()]
    return np.maximum(x @ w1 + b1, 0.0) @ w2 + b2


def _rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def assert_all_dead(refs):
    gc.collect()
    alive = [ref() for ref in refs if ref() is not None]
    assert not alive, f"{len(alive)} of {len(refs)} models are still referenced: {alive[:3]}"


# ------------------------------------------------------------------ recompilation
def test_predict_on_1_to_32_rows_compiles_one_program_per_power_of_two():
    model = _dense_model()
    x = np.random.default_rng(0).normal(size=(32, 8)).astype("float32")
    for rows in range(1, 33):
        out = model.predict(x[:rows], batch_size=32, verbose=0)
        assert out.shape == (rows, 3)
        if rows in (3, 13, 31):
            # The padded program gives exactly the unpadded program's values (training=True
            # does not pad, and Dense computes the same either way).
            np.testing.assert_array_equal(out, np.asarray(model(x[:rows], training=True)))
        np.testing.assert_allclose(out, _numpy_dense_forward(model, x[:rows]),
                                   rtol=1e-5, atol=1e-6)
    assert model.compile_count["predict"] == 6  # 1, 2, 4, 8, 16, 32 rows = log2(32) + 1


def test_predict_bucket_is_capped_at_the_batch_size():
    model = _dense_model()
    x = np.random.default_rng(1).normal(size=(24, 8)).astype("float32")
    for rows in (17, 20, 24):
        np.testing.assert_allclose(model.predict(x[:rows], batch_size=24, verbose=0),
                                   _numpy_dense_forward(model, x[:rows]), rtol=1e-5, atol=1e-6)
    # 17..24 rows pad to 24 (not 32), the size a full batch of the batched path compiles.
    assert model.compile_count["predict"] == 1
    model.predict(np.concatenate([x, x]), batch_size=24, verbose=0)
    assert model.compile_count["predict"] == 1


def test_predict_on_batch_pads_to_the_next_power_of_two():
    model = _dense_model()
    x = np.random.default_rng(2).normal(size=(40, 8)).astype("float32")
    for rows in (33, 40, 64 - 1):
        out = model.predict_on_batch(np.resize(x, (rows, 8)))
        assert out.shape == (rows, 3)
    assert model.compile_count["predict"] == 1
    np.testing.assert_allclose(model.predict_on_batch(x), _numpy_dense_forward(model, x),
                               rtol=1e-5, atol=1e-6)


def test_model_call_in_inference_pads_but_training_does_not():
    model = _dense_model()
    x = np.random.default_rng(3).normal(size=(20, 8)).astype("float32")
    for rows in range(1, 21):
        out = model(x[:rows])
        assert tuple(out.shape) == (rows, 3)
        np.testing.assert_allclose(np.asarray(out), _numpy_dense_forward(model, x[:rows]),
                                   rtol=1e-5, atol=1e-6)
    # model(x) shares predict's compiled inference program.
    assert model.compile_count["predict"] == 6  # 1, 2, 4, 8, 16, 32
    for rows in (3, 5, 6):
        model(x[:rows], training=True)
    assert model.compile_count["forward"] == 3  # training compiles the exact row counts


def test_device_array_inputs_are_padded_too():
    model = _dense_model()
    x = np.random.default_rng(4).normal(size=(7, 8)).astype("float32")
    for rows in (5, 6, 7):
        out = model(neokeras.ops.convert_to_tensor(x[:rows]))
        np.testing.assert_allclose(np.asarray(out), _numpy_dense_forward(model, x[:rows]),
                                   rtol=1e-5, atol=1e-6)
    assert model.compile_count["predict"] == 1


def test_batch_norm_training_call_uses_only_the_real_rows():
    model = neokeras.Sequential([layers.Input((4,)), layers.BatchNormalization(epsilon=1e-3)])
    x = np.random.default_rng(5).normal(size=(3, 4)).astype("float32")
    out = np.asarray(model(x, training=True))
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    # Inference normalizes with the moving statistics, padding or not.
    bn = model.layers[0]
    bn.moving_mean.assign(np.full(4, 0.5, "float32"))
    bn.moving_variance.assign(np.full(4, 4.0, "float32"))
    np.testing.assert_allclose(np.asarray(model(x)), (x - 0.5) / np.sqrt(4.0 + 1e-3),
                               rtol=1e-5, atol=1e-6)


def test_add_loss_in_inference_sees_only_the_real_rows():
    inputs = layers.Input((2,))
    model = neokeras.Model(inputs, layers.ActivityRegularization(l1=0.5)(inputs))
    x = np.array([[1.0, -2.0], [3.0, 0.5], [-1.0, 1.0]], "float32")
    for _ in range(2):  # the second call takes the path remembered after the first
        np.testing.assert_allclose(np.asarray(model(x)), x)
        assert len(model.losses) == 1
        np.testing.assert_allclose(float(model.losses[0]), 0.5 * np.abs(x).sum() / 3, rtol=1e-6)


class _BatchSum(neokeras.Model):
    def call(self, inputs, training=None):
        return neokeras.ops.sum(inputs)


def test_model_reducing_over_the_batch_is_not_padded():
    model = _BatchSum()
    model.build((None, 2))
    x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")
    for _ in range(2):
        np.testing.assert_allclose(np.asarray(model(x)), 21.0)
        np.testing.assert_allclose(model.predict_on_batch(x), 21.0)


class _StatefulRNN(neokeras.Model):
    def __init__(self):
        super().__init__()
        self.rnn = layers.SimpleRNN(4, stateful=True)

    def call(self, inputs, training=None):
        return self.rnn(inputs)


def test_stateful_rnn_is_not_padded():
    model = _StatefulRNN()
    model.build((3, 5, 2))
    x = np.random.default_rng(6).normal(size=(3, 5, 2)).astype("float32")
    kernel, recurrent, bias = [np.asarray(w, np.float64) for w in model.get_weights()]
    state = np.zeros((3, 4))
    # Each call starts from the state the previous one left (3 rows, not 4 padded ones).
    for call in (model, model, model.predict_on_batch, model.predict):
        for t in range(5):
            state = np.tanh(x[:, t] @ kernel + state @ recurrent + bias)
        np.testing.assert_allclose(np.asarray(call(x)), state, rtol=1e-5, atol=1e-6)
    assert [tuple(s.shape) for s in model.rnn.states] == [(3, 4)]


def test_fixed_batch_size_inputs_are_not_padded():
    inputs = layers.Input(batch_shape=(3, 4))
    model = neokeras.Model(inputs, layers.Dense(2)(inputs))
    x = np.ones((3, 4), "float32")
    w, b = model.get_weights()
    np.testing.assert_allclose(np.asarray(model(x)), x @ w + b, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), x @ w + b, rtol=1e-6)


# ------------------------------------------------------------------ memory
def test_memory_flat_over_3000_predict_calls():
    model = _dense_model()
    x = np.random.default_rng(7).normal(size=(1, 8)).astype("float32")
    for _ in range(200):
        model.predict(x, verbose=0)
    before = _rss_mib()
    for _ in range(3000):
        model.predict(x, verbose=0)
    growth = _rss_mib() - before
    assert growth < 30, f"RSS grew by {growth:.1f} MiB over 3000 predict calls"
    assert model.compile_count["predict"] == 1


def test_memory_flat_over_100_models_built_compiled_and_fitted():
    # Every model is built and compiled, every fifth one also fitted (each fit traces and
    # compiles programs of its own); the bound is 0.1 MiB a model (measured growth: ~0).
    x = np.random.default_rng(8).normal(size=(8, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    refs = []

    def build(fit):
        model = neokeras.Sequential([layers.Input((4,)), layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        if fit:
            model.fit(x, y, batch_size=8, epochs=1, verbose=0)
        refs.append(weakref.ref(model))

    # A full garbage collection every 25 models and before each RSS reading (each collection
    # walks every object of the test process: seconds in a long pytest-xdist worker).
    for i in range(10):
        build(fit=i < 3)
        neokeras.backend.clear_session(free_memory=i == 9)
    before = _rss_mib()
    for i in range(100):
        build(fit=i % 5 == 0)
        neokeras.backend.clear_session(free_memory=i % 25 == 24)
    growth = _rss_mib() - before
    assert growth < 10, f"RSS grew by {growth:.1f} MiB over 100 models (20 fitted)"
    # No global registry keeps a model (nor its compiled functions) alive.
    assert_all_dead(refs)
