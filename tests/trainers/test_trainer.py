"""Behaviour classes of the trainer that real Keras 2 and Keras 3 programs hit (issue 13):
`*_on_batch` semantics, truly eager `run_eagerly`, randomness inside layers, stateful RNNs,
custom metric functions, `add_loss` on functional models."""

import jax
import numpy as np
import pytest

import neokeras as keras
from neokeras import layers

RNG = np.random.default_rng(0)


def _classifier():
    return keras.Sequential([layers.Input((4,)), layers.Dense(8, activation="relu"),
                             layers.Dense(3, activation="softmax")])


def _data(n=16):
    return RNG.standard_normal((n, 4)).astype("float32"), RNG.integers(0, 3, n)


# ---------------------------------------------------------------- *_on_batch
def test_train_on_batch_reports_each_batch_alone_and_test_on_batch_agrees_with_evaluate():
    keras_ = pytest.importorskip("keras")
    x, y = _data(32)
    ours, theirs = _classifier(), keras_.Sequential(
        [keras_.Input((4,)), keras_.layers.Dense(8, activation="relu"),
         keras_.layers.Dense(3, activation="softmax")])
    theirs.set_weights(ours.get_weights())
    for model in (ours, theirs):
        model.compile(model is ours and keras.optimizers.SGD(0.1)
                      or keras_.optimizers.SGD(0.1), "sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    for i in range(0, 32, 8):
        np.testing.assert_allclose(ours.train_on_batch(x[i:i + 8], y[i:i + 8]),
                                   theirs.train_on_batch(x[i:i + 8], y[i:i + 8]), rtol=1e-5)
    np.testing.assert_allclose(ours.test_on_batch(x, y), ours.evaluate(x, y, batch_size=32,
                                                                        verbose=0), rtol=1e-6)
    np.testing.assert_allclose(ours.test_on_batch(x, y), theirs.test_on_batch(x, y), rtol=1e-5)


def test_reset_metrics_false_accumulates_over_calls_as_in_keras_2():
    x, y = _data(16)
    model = _classifier()
    model.compile("sgd", "sparse_categorical_crossentropy")
    first = model.test_on_batch(x[:8], y[:8])
    second = model.test_on_batch(x[8:], y[8:], reset_metrics=False)
    alone = model.test_on_batch(x[8:], y[8:])
    np.testing.assert_allclose(second, (first + alone) / 2, rtol=1e-6)
    logs = model.train_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss"}


# ---------------------------------------------------------------- run_eagerly
class _Probe(layers.Layer):
    """Records what `call` receives: concrete arrays can be printed, converted and compared."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def call(self, inputs):
        self.seen.append(np.asarray(inputs).shape if not keras.backend.is_tracer(inputs)
                         else "tracer")
        return inputs


@pytest.mark.parametrize("flags", [{"run_eagerly": True}, {"jit_compile": False}])
def test_eager_modes_give_call_concrete_arrays(flags):
    probe = _Probe()
    model = keras.Sequential([layers.Input((4,)), probe, layers.Dense(3)])
    model.compile("sgd", "mse", **flags)
    x = RNG.standard_normal((6, 4)).astype("float32")
    y = np.zeros((6, 3), "float32")
    model.evaluate(x, y, verbose=0)
    probe.seen.clear()  # shape inference while building traces symbolically; steps do not
    model.predict(x, verbose=0)
    model(x)
    model.evaluate(x, y, batch_size=4, verbose=0)
    model.test_on_batch(x, y)
    assert probe.seen and "tracer" not in probe.seen
    assert model.compile_count == {}


def test_run_eagerly_custom_train_step_sees_concrete_state_and_data():
    seen = []

    class Model(keras.Model):
        def train_step(self, state, data):
            x, y = data
            seen.append((float(np.asarray(x).sum()), type(state[0][0]).__name__))
            return super().train_step(state, data)

    inputs = layers.Input((4,))
    model = Model(inputs, layers.Dense(1)(inputs))
    model.compile("sgd", "mse", run_eagerly=True)
    x = RNG.standard_normal((8, 4)).astype("float32")
    history = model.fit(x, np.ones((8, 1), "float32"), batch_size=4, epochs=1, verbose=0,
                        shuffle=False)
    assert [round(s, 4) for s, _ in seen] == [round(float(x[:4].sum()), 4),
                                             round(float(x[4:].sum()), 4)]
    assert all(kind == "ArrayImpl" for _, kind in seen)
    assert np.isfinite(history.history["loss"][0])


def test_run_eagerly_trains_like_the_compiled_step():
    x = RNG.standard_normal((10, 4)).astype("float32")
    y = RNG.standard_normal((10, 1)).astype("float32")
    results = []
    for eager in (False, True):
        keras.utils.set_random_seed(7)
        model = keras.Sequential([layers.Input((4,)), layers.Dense(1)])
        model.compile(keras.optimizers.SGD(0.1), "mse", metrics=["mae"], run_eagerly=eager)
        results.append((model.fit(x, y, batch_size=4, epochs=2, shuffle=False,
                                  verbose=0).history, model.get_weights()))
    for key in results[0][0]:
        np.testing.assert_allclose(results[0][0][key], results[1][0][key], rtol=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-5)


# ---------------------------------------------------------------- randomness inside layers
class _Noise(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs, training=None):
        if training:
            return inputs + keras.random.normal(keras.ops.shape(inputs),
                                                seed=self.seed_generator)
        return inputs


def _noisy_model():
    return keras.Sequential([layers.Input((4,)), _Noise(), layers.Dropout(0.5),
                             layers.Dense(1)])


def test_layer_drawing_from_its_seed_generator_trains_without_leaking_tracers():
    x = RNG.standard_normal((20, 4)).astype("float32")
    y = RNG.standard_normal((20, 1)).astype("float32")
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(3)
        model = _noisy_model()
        model.compile("sgd", "mse")
        state_before = np.asarray(model.layers[0].seed_generator.state.value)
        history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
        # The generator's state advanced through the compiled steps and came back.
        assert not np.array_equal(np.asarray(model.layers[0].seed_generator.state.value),
                                  state_before)
        assert not keras.backend.is_tracer(model.layers[0].seed_generator.state.value)
        runs.append((history.history["loss"], model.predict(x, verbose=0)))
        np.testing.assert_allclose(model.predict(x, verbose=0), model(x), rtol=1e-6)
    np.testing.assert_array_equal(runs[0][0], runs[1][0])  # seeded runs repeat exactly
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


def test_training_calls_draw_fresh_noise_each_time():
    model = _noisy_model()
    x = np.ones((2, 4), "float32")
    first, second = np.asarray(model(x, training=True)), np.asarray(model(x, training=True))
    assert not np.allclose(first, second)


# ---------------------------------------------------------------- stateful RNNs
def _stateful_model():
    inputs = layers.Input(batch_shape=(2, 3, 1))
    outputs = layers.SimpleRNN(2, stateful=True, kernel_initializer="ones",
                               recurrent_initializer="identity", bias_initializer="zeros",
                               activation=None)(inputs)
    return keras.Model(inputs, outputs)


def test_stateful_rnn_carries_state_across_batches_and_resets():
    model = _stateful_model()
    x = np.ones((4, 3, 1), "float32")
    # Linear cell with unit weights: each step adds the input; the state carries over.
    out = model.predict(x, batch_size=2, verbose=0)
    np.testing.assert_allclose(out, [[3, 3], [3, 3], [6, 6], [6, 6]])
    np.testing.assert_allclose(model.predict(x[:2], batch_size=2, verbose=0), [[9, 9]] * 2)
    model.layers[1].reset_states()
    np.testing.assert_allclose(model.predict(x[:2], batch_size=2, verbose=0), [[3, 3]] * 2)
    model.compile("sgd", "mse")
    model.layers[1].reset_states()
    loss = model.evaluate(x, np.zeros((4, 2), "float32"), batch_size=2, verbose=0)
    np.testing.assert_allclose(loss, (9 + 36) / 2, rtol=1e-6)
    model.fit(x, np.zeros((4, 2), "float32"), batch_size=2, epochs=1, verbose=0)
    assert model.layers[1].states[0].shape == (2, 2)


def test_stateful_rnn_rejects_another_batch_size_naming_both():
    model = _stateful_model()
    with pytest.raises(ValueError, match=r"\(2, 3, 1\).*\(3, 3, 1\)"):
        model.predict(np.ones((3, 3, 1), "float32"), verbose=0)

    class Subclassed(keras.Model):  # no input spec: the layer itself says it
        def __init__(self):
            super().__init__()
            self.rnn = layers.SimpleRNN(2, stateful=True)

        def call(self, inputs):
            return self.rnn(inputs)

    model = Subclassed()
    model.predict(np.ones((2, 3, 1), "float32"), verbose=0)
    with pytest.raises(ValueError, match=r"batch size 2.*batch of 3 samples"):
        model.predict(np.ones((3, 3, 1), "float32"), verbose=0)


# ---------------------------------------------------------------- custom metric functions
def test_custom_metric_function_sees_targets_aligned_to_the_outputs():
    """The Keras 2 siamese example's accuracy: `(n,)` labels against `(n, 1)` distances."""

    def accuracy(y_true, y_pred):
        return keras.ops.mean(keras.ops.equal(y_true, keras.ops.cast(y_pred < 0.5,
                                                                     y_true.dtype)))

    inputs = layers.Input((1,))
    model = keras.Model(inputs, layers.Lambda(lambda t: t)(inputs))
    model.compile("sgd", "mse", metrics=[accuracy])
    distances = np.array([[0.1], [0.9], [0.2], [0.8]], "float32")
    labels = np.array([1.0, 0.0, 1.0, 1.0], "float32")
    logs = model.evaluate(distances, labels, return_dict=True, verbose=0)
    assert logs["accuracy"] == pytest.approx(0.75)


# ---------------------------------------------------------------- add_loss on a functional model
def test_keras2_symbolic_add_loss_trains_and_is_listed():
    """The classic Keras 2 VAE: the loss is built from the graph's tensors with `K` ops,
    `add_loss`-ed to the model, and `compile(optimizer)` has no loss."""
    K = keras.backend
    inputs = layers.Input((4,))
    hidden = layers.Dense(3, name="encoder")(inputs)
    outputs = layers.Dense(4, name="decoder")(hidden)
    model = keras.Model(inputs, outputs)
    model.add_loss(K.mean(K.square(outputs - inputs)) + 0.1 * K.mean(K.square(hidden)))
    assert len(model.losses) == 1
    model.compile(keras.optimizers.SGD(0.05))
    x = RNG.standard_normal((32, 4)).astype("float32")

    def objective():
        h = x @ model.layers[1].kernel.numpy() + model.layers[1].bias.numpy()
        out = h @ model.layers[2].kernel.numpy() + model.layers[2].bias.numpy()
        return np.mean((out - x) ** 2) + 0.1 * np.mean(h ** 2)

    start = objective()
    history = model.fit(x, epochs=5, batch_size=32, verbose=0)
    assert history.history["loss"][0] == pytest.approx(start, rel=1e-5)
    assert history.history["loss"][-1] < start
    assert len(model.losses) == 1  # still listed after fit
    np.testing.assert_allclose(model.evaluate(x, verbose=0), objective(), rtol=1e-5)
    model(x)
    np.testing.assert_allclose(float(model.losses[0]), objective(), rtol=1e-5)
