"""Behaviour classes of the trainer that real Keras 2 and Keras 3 programs hit (issue 13):
`*_on_batch` semantics, truly eager `run_eagerly`, randomness inside layers, stateful RNNs,
custom metric functions, `add_loss` on functional models."""

import re

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


class _Debugged(keras.Model):
    """A model debugged the way eager mode allows: inside `call`, during `fit`, it prints,
    converts to numpy, branches in Python and stops at a breakpoint."""

    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(3)
        self.rnn = layers.RNN(_NumpyCell())
        self.out = layers.Dense(1)
        self.seen = []

    def call(self, x):
        h = self.hidden(x)
        print("hidden:", h)
        as_numpy = np.asarray(h)
        self.seen.append((as_numpy, keras.ops.convert_to_numpy(h), float(h.sum()),
                          h.tolist(), f"{h.sum():.4f}"))
        if h.sum() > 1e9:  # a Python branch on a value
            h = h * 0.0
        breakpoint()
        return self.out(h) + self.rnn(h[:, :, None])


class _NumpyCell(layers.Layer):
    """An RNN cell that converts its step input to numpy: the time loop must run in Python."""

    state_size = 1

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.steps = []

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(1, 1), initializer="ones", name="kernel")

    def call(self, inputs, states):
        self.steps.append(np.asarray(inputs).copy())
        output = keras.ops.matmul(inputs, self.kernel) + states[0]
        return output, [output]


def _breakpoints(monkeypatch):
    """Replaces the debugger: each `breakpoint()` records `h` as numpy from the caller's frame."""
    import sys

    stops = []
    monkeypatch.setattr(sys, "breakpointhook",
                        lambda: stops.append(np.asarray(sys._getframe(1).f_locals["h"])))
    return stops


def test_run_eagerly_fit_runs_call_losses_and_cells_on_concrete_values(capsys, monkeypatch):
    stops = _breakpoints(monkeypatch)
    losses_seen = []

    def loss(y_true, y_pred):
        losses_seen.append(np.asarray(y_pred))
        return keras.ops.mean((y_true - y_pred) ** 2)

    model = _Debugged()
    model.compile(keras.optimizers.SGD(0.0), loss, run_eagerly=True)
    # Its own data, not the module's generator: what it prints must not depend on which tests
    # ran before it in the same process.
    x = np.random.default_rng(7).standard_normal((6, 4)).astype("float32")
    y = np.ones((6, 1), "float32")
    model.fit(x, y, batch_size=3, epochs=1, shuffle=False, verbose=0)
    # With a zero learning rate the weights stay put: the values seen during training are
    # those of the layers applied to each batch.
    expected = [np.asarray(model.hidden(x[:3])), np.asarray(model.hidden(x[3:]))]
    training = model.seen[-2:]
    for (as_numpy, converted, total, as_list, formatted), want in zip(training, expected):
        np.testing.assert_allclose(as_numpy, want, rtol=1e-6)
        np.testing.assert_allclose(converted, want, rtol=1e-6)
        np.testing.assert_allclose(as_list, want, rtol=1e-6)
        assert total == pytest.approx(float(want.sum()), rel=1e-5)
        assert float(formatted) == pytest.approx(float(want.sum()), abs=1.5e-4)  # 4 decimals
    for stop, want in zip(stops[-2:], expected):
        np.testing.assert_allclose(stop, want, rtol=1e-6)
    np.testing.assert_allclose(losses_seen[-1], np.asarray(model(x[3:])), rtol=1e-5)
    steps = model.rnn.cell.steps[-3:]  # the last batch's three time steps, one by one
    np.testing.assert_allclose(np.stack(steps), expected[1].T[:, :, None], rtol=1e-6)
    printed = capsys.readouterr().out
    printed_numbers = [float(n) for n in re.findall(r"-?\d+\.\d*(?:e[-+]?\d+)?", printed)]
    assert any(abs(n - expected[1][0, 0]) < 1e-5 for n in printed_numbers)
    assert "Traced<" not in printed


def test_run_eagerly_custom_jax_train_step_differentiates_concrete_values():
    # Keras's guide "Customizing what happens in fit() with JAX": the step differentiates
    # `compute_loss_and_updates` itself; in eager mode `call` still gets convertible values.
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs):
            seen.append(np.asarray(inputs).sum())
            return inputs

        def compute_output_spec(self, inputs):
            return keras.KerasTensor(inputs.shape, dtype=inputs.dtype)

    class Model(keras.Model):
        def train_step(self, state, data):
            trainable, non_trainable, optimizer_values, metric_values = state
            x, y = data
            (loss, (_, non_trainable, metric_values)), grads = jax.value_and_grad(
                self.compute_loss_and_updates, has_aux=True)(
                trainable, non_trainable, metric_values, x, y, None, training=True)
            trainable, optimizer_values = self.optimizer.stateless_apply(
                optimizer_values, grads, trainable)
            return {"loss": loss}, (trainable, non_trainable, optimizer_values, metric_values)

    inputs = layers.Input((4,))
    model = Model(inputs, layers.Dense(1)(Probe()(layers.Dense(2)(inputs))))
    model.compile("sgd", "mse", run_eagerly=True)
    x = RNG.standard_normal((4, 4)).astype("float32")
    model.fit(x, np.ones((4, 1), "float32"), batch_size=4, epochs=2, verbose=0)
    assert len(seen) >= 2 and all(np.isfinite(v) for v in seen)


def test_compiled_fit_still_refuses_numpy_conversion_inside_call():
    class Model(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(1)

        def call(self, x):
            return self.dense(x) + float(np.asarray(x).sum())

    model = Model()
    model.compile("sgd", "mse")
    with pytest.raises(jax.errors.TracerArrayConversionError):
        model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0)


def _custom_loss(y_true, y_pred):
    return keras.ops.mean(keras.ops.abs(y_true - y_pred) ** 1.5, axis=-1)


def _eager_cases():
    rng = np.random.default_rng(3)
    images = rng.standard_normal((10, 6, 6, 2)).astype("float32")
    sequences = rng.standard_normal((10, 5, 3)).astype("float32")
    features = rng.standard_normal((10, 4)).astype("float32")
    labels = rng.integers(0, 3, 10)
    targets = rng.standard_normal((10, 2)).astype("float32")
    return {
        "mlp": (lambda: keras.Sequential([
            layers.Input((4,)), layers.Dense(8, activation="relu"),
            layers.Dense(3, activation="softmax")]),
            "sparse_categorical_crossentropy", ["accuracy"], features, labels),
        "conv": (lambda: keras.Sequential([
            layers.Input((6, 6, 2)), layers.Conv2D(3, 3, activation="relu"),
            layers.MaxPooling2D(), layers.Flatten(), layers.Dense(3, activation="softmax")]),
            "sparse_categorical_crossentropy", ["accuracy"], images, labels),
        "rnn": (lambda: keras.Sequential([
            layers.Input((5, 3)), layers.LSTM(4, return_sequences=True), layers.GRU(3),
            layers.Dense(2)]), "mse", ["mae"], sequences, targets),
        "dropout_batchnorm": (lambda: keras.Sequential([
            # No bias before BatchNormalization: its true gradient is zero, and Adam would
            # scale the rounding noise of either path up to whole steps.
            layers.Input((4,)), layers.Dense(6, use_bias=False), layers.BatchNormalization(),
            layers.Dropout(0.3), layers.Dense(2)]), "mse", ["mae"], features, targets),
        "custom_loss": (lambda: keras.Sequential([
            layers.Input((4,)), layers.Dense(5, activation="tanh"), layers.Dense(2)]),
            _custom_loss, [_custom_loss], features, targets),
    }


@pytest.mark.parametrize("case", list(_eager_cases()))
def test_run_eagerly_trains_like_the_compiled_step(case):
    build, loss, metrics, x, y = _eager_cases()[case]
    results = []
    for eager in (False, True):
        keras.utils.set_random_seed(7)
        model = build()
        model.compile(keras.optimizers.Adam(0.01), loss, metrics=metrics, run_eagerly=eager)
        history = model.fit(x, y, batch_size=4, epochs=2, validation_split=0.2, verbose=0)
        results.append((history.history, model.get_weights()))
    (compiled, compiled_weights), (eager, eager_weights) = results
    assert compiled.keys() == eager.keys()
    for key in compiled:
        np.testing.assert_allclose(eager[key], compiled[key], rtol=1e-5, atol=1e-6)
    for a, b in zip(eager_weights, compiled_weights):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


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


# ---------------------------------------------------------------- compile(optimizer=None)
def test_compile_without_optimizer_evaluates_as_keras_and_refuses_fit():
    keras_ = pytest.importorskip("keras")
    x, y = _data(8)
    results = []
    for lib in (keras, keras_):
        assert lib.optimizers.get(None) is None
        model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, activation="softmax")])
        model.set_weights([np.full((4, 3), 0.1, "float32"), np.zeros(3, "float32")])
        model.compile(optimizer=None, loss="sparse_categorical_crossentropy")
        assert model.compiled and model.optimizer is None
        results.append(model.evaluate(x, y, verbose=0))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)
    with pytest.raises(ValueError, match=r"fit\(\) needs an optimizer.*optimizer=None"):
        model_ = _classifier()
        model_.compile(optimizer=None, loss="sparse_categorical_crossentropy")
        model_.fit(x, y, verbose=0)
