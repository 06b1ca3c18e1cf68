"""Subclassed layers and models: tracking, training flag, add_loss, custom train_step."""

import pathlib

import numpy as np
import pytest

import neokeras as keras
from neokeras import ops

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "custom_train_step.md"


class Scale(keras.layers.Layer):
    def __init__(self, init=1.0, **kwargs):
        super().__init__(**kwargs)
        self.init = init

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.w.assign(self.init * np.ones(input_shape[-1], "float32"))

    def call(self, inputs):
        return inputs * self.w

    def get_config(self):
        return {**super().get_config(), "init": self.init}


class Net(keras.Model):
    def __init__(self, penalty=0.0):
        super().__init__()
        self.penalty = penalty
        self.blocks = []
        for units in (8, 8):
            self.blocks.append(keras.layers.Dense(units, activation="relu"))
        self.heads = {}
        self.heads["out"] = keras.layers.Dense(1)
        self.drop = keras.layers.Dropout(0.5)
        self.scale = Scale(2.0)

    def call(self, inputs, training=None):
        x = inputs
        for block in self.blocks:
            x = block(x)
        x = self.drop(x, training=training)
        out = self.scale(self.heads["out"](x))
        if self.penalty:
            self.add_loss(self.penalty * ops.sum(ops.square(out)))
        return out


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)).astype("float32")
    return x, x.sum(1, keepdims=True)


def test_custom_layer_weights_and_config():
    layer = Scale(3.0, name="scale")
    out = layer(np.ones((2, 4), "float32"))
    np.testing.assert_allclose(np.asarray(out), 3 * np.ones((2, 4)))
    assert [w.name for w in layer.trainable_weights] == ["w"]
    clone = Scale.from_config(layer.get_config())
    assert clone.init == 3.0 and clone.name == "scale"


def test_layers_in_lists_and_dicts_are_tracked():
    model = Net()
    model(np.ones((2, 3), "float32"))
    # 2 blocks + head: kernel and bias each, plus Scale's weight.
    assert len(model.trainable_weights) == 7
    tracked = model._flatten_layers(include_self=False)
    assert all(any(t is layer for t in tracked) for layer in model.blocks + [model.heads["out"]])


def test_subclassed_fit_evaluate_predict_summary_lower_loss():
    x, y = _data()
    model = Net()
    model.compile(keras.optimizers.Adam(0.01), "mse")
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(x, y, verbose=0) < before
    assert model.predict(x, verbose=0).shape == (64, 1)
    lines = []
    model.summary(print_fn=lines.append)
    assert any("dense" in line for line in lines)


def test_training_flag_reaches_dropout():
    model = Net()
    x = np.ones((16, 3), "float32")
    inference = [np.asarray(model(x)) for _ in range(2)]
    np.testing.assert_allclose(inference[0], inference[1])
    train = np.asarray(model(x, training=True))
    assert not np.allclose(train, inference[0])


def test_add_loss_in_call_is_part_of_the_fit_loss():
    x, y = _data()
    model = Net(penalty=0.1)
    model.compile("sgd", "mse")
    loss = model.evaluate(x, y, verbose=0, batch_size=64)
    pred = model.predict(x, verbose=0)
    expected = np.mean((pred - y) ** 2) + 0.1 * np.sum(pred ** 2)
    assert loss == pytest.approx(expected, rel=1e-4)


def test_custom_train_step_gan_example_from_docs():
    source = DOC.read_text().split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(compile(source, str(DOC), "exec"), namespace)  # noqa: S102 (our own documentation)
    gan, history = namespace["gan"], namespace["history"].history
    assert set(history) == {"d_loss", "g_loss"} and len(history["d_loss"]) == 3
    # 64 samples / 16 per batch * 3 epochs: both optimizers stepped every batch.
    assert int(gan.optimizer.iterations.numpy()) == 12
    assert int(gan.g_optimizer.iterations.numpy()) == 12
    assert all(np.isfinite(history["d_loss"] + history["g_loss"]))


def test_custom_test_step_is_used_by_evaluate():
    class Constant(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

        def test_step(self, state, data):
            x, y = data
            return {"mean_target": ops.mean(y)}, state

    model = Constant()
    model.compile("sgd", "mse")
    x, y = _data()
    logs = model.evaluate(x, y, verbose=0, return_dict=True, batch_size=64)
    assert logs["mean_target"] == pytest.approx(float(y.mean()), rel=1e-5)


# ---------------------------------------------------------------------- functional subclasses
class TwoLayer(keras.Model):
    """A functional subclass with its own constructor argument and an extra attribute."""

    def __init__(self, units=4, **kwargs):
        inputs = keras.Input((3,), name="x")
        hidden = keras.layers.Dense(units, activation="relu", name="hidden")(inputs)
        outputs = keras.layers.Dense(1, name="out")(hidden)
        super().__init__(inputs, outputs, **kwargs)
        self.units = units

    def describe(self):
        return f"{self.name}: {self.units} hidden units"


@keras.saving.register_keras_serializable(package="test_subclassing")
class Passthrough(keras.Model):
    """A functional subclass with a functional-like constructor (registered)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tag = "passthrough"


def _passthrough():
    inputs = keras.Input((3,), name="x")
    return Passthrough(inputs=inputs, outputs=keras.layers.Dense(2, name="d")(inputs), name="p")


def _numpy_two_layer(model, x):
    (w1, b1), (w2, b2) = [layer.get_weights() for layer in model.layers[1:]]
    return np.maximum(x @ w1 + b1, 0) @ w2 + b2


def test_functional_subclass_construction():
    model = TwoLayer(units=5, name="two")
    assert isinstance(model, TwoLayer) and isinstance(model, keras.Model)
    assert type(model).__name__ == "TwoLayer" and model.name == "two" and model.built
    assert [layer.name for layer in model.layers] == ["x", "hidden", "out"]
    assert model.input_shape == (None, 3) and model.output_shape == (None, 1)
    assert model.describe() == "two: 5 hidden units"
    # 3*5+5 + 5*1+1 weights, from the graph; the user's class itself is left unchanged.
    assert model.count_params() == 26
    assert TwoLayer.__bases__ == (keras.Model,)
    passthrough = _passthrough()
    assert passthrough.tag == "passthrough" and passthrough.output_shape == (None, 2)


def test_functional_subclass_fit_lowers_loss_and_predict_runs_the_graph():
    x, y = _data()
    model = TwoLayer(units=8)
    model.compile(keras.optimizers.Adam(0.01), "mse")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    expected = _numpy_two_layer(model, x)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(model(x[:4])), expected[:4], rtol=1e-5, atol=1e-5)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(np.mean((expected - y) ** 2), rel=1e-4)


def test_functional_subclass_summary_lists_the_graph():
    lines = []
    TwoLayer(units=5, name="two").summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert '"two"' in text and "hidden (Dense)" in text and "out (Dense)" in text
    assert "Total params: 26" in text


def test_functional_subclass_configs():
    # Own constructor arguments: the config holds them and from_config calls the class again.
    config = TwoLayer(units=5, name="two").get_config()
    assert config["units"] == 5 and config["name"] == "two" and "layers" not in config
    clone = TwoLayer.from_config(config)
    assert isinstance(clone, TwoLayer) and clone.units == 5 and clone.name == "two"
    # A functional-like constructor: the config is the graph's, as for Model(inputs, outputs).
    model = _passthrough()
    plain = keras.Model(model.inputs, model.outputs, name="p")
    assert model.get_config() == plain.get_config()
    rebuilt = Passthrough.from_config(model.get_config())
    assert type(rebuilt).__name__ == "Passthrough" and isinstance(rebuilt, Passthrough)
    assert rebuilt.tag == "passthrough" and [layer.name for layer in rebuilt.layers] == ["x", "d"]


def test_functional_subclass_keras_round_trip(tmp_path):
    x, y = _data()
    model = TwoLayer(units=6, name="two")
    model.compile(keras.optimizers.Adam(0.01), "mse")
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    model.save(tmp_path / "two.keras")
    with pytest.raises(ValueError, match="TwoLayer"):
        keras.saving.load_model(tmp_path / "two.keras")
    loaded = keras.saving.load_model(tmp_path / "two.keras", custom_objects={"TwoLayer": TwoLayer})
    assert isinstance(loaded, TwoLayer) and loaded.units == 6 and loaded.name == "two"
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)
    assert loaded.compiled and loaded.optimizer.iterations.numpy() == 2
    # A registered class needs no custom_objects.
    passthrough = _passthrough()
    passthrough.save(tmp_path / "p.keras")
    again = keras.saving.load_model(tmp_path / "p.keras")
    assert isinstance(again, Passthrough) and again.tag == "passthrough"
    np.testing.assert_allclose(again.predict(x, verbose=0), passthrough.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)


def test_functional_model_needs_inputs_and_outputs():
    inputs = keras.Input((3,))
    with pytest.raises(TypeError, match="both `inputs` and `outputs`"):
        keras.Model(inputs)
    with pytest.raises(TypeError, match="both `inputs` and `outputs`"):
        keras.Model(inputs=inputs)

    class HalfFunctional(keras.Model):
        def __init__(self):
            super().__init__(keras.Input((3,)))

    with pytest.raises(TypeError, match=r"HalfFunctional\(\).*both `inputs` and `outputs`"):
        HalfFunctional()


class _TwoInputs(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.left, self.right = keras.layers.Dense(2), keras.layers.Dense(2)

    def call(self, inputs):
        return self.left(inputs[0]) + self.right(inputs[1])


@pytest.mark.parametrize("shapes", [[(None, 3), (None, 5)], ((None, 3), (None, 5))])
def test_build_takes_a_list_of_input_shapes(shapes):
    model = _TwoInputs()
    model.build(shapes)
    assert model.left.kernel.shape == (3, 2) and model.right.kernel.shape == (5, 2)
    # fit builds the same way from a list of arrays
    fitted = _TwoInputs()
    fitted.compile(optimizer="sgd", loss="mse")
    fitted.fit([np.ones((4, 3)), np.ones((4, 5))], np.ones((4, 2)), verbose=0)
    assert fitted.right.kernel.shape == (5, 2)
