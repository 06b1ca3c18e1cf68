"""Functional API: graph building, running, multi-IO training, nesting, configs."""

import json

import numpy as np
import pytest

import neokeras as keras
from neokeras import ops


def _two_io_model():
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    h = keras.layers.Concatenate(name="cat")([a, b])
    out1 = keras.layers.Dense(1, name="out1")(h)
    out2 = keras.layers.Dense(2, name="out2")(h)
    return a, b, out1, out2


def _data(n=16):
    rng = np.random.default_rng(0)
    xa = rng.standard_normal((n, 3)).astype("float32")
    xb = rng.standard_normal((n, 2)).astype("float32")
    y1 = xa.sum(1, keepdims=True)
    y2 = np.concatenate([xb, xa[:, :1]], axis=1)[:, :2]
    return xa, xb, y1, y2


def test_structure_properties_and_layers_order():
    a, b, out1, out2 = _two_io_model()
    model = keras.Model([a, b], [out1, out2])
    assert [layer.name for layer in model.layers] == ["a", "b", "cat", "out1", "out2"]
    assert model.output_names == ["out1", "out2"]
    assert model.input_shape == [(None, 3), (None, 2)]
    assert model.output_shape == [(None, 1), (None, 2)]
    assert model.inputs == [a, b] and model.outputs == [out1, out2]
    assert model.get_layer("cat").name == "cat"
    assert model.get_layer(index=3) is model.get_layer("out1")
    with pytest.raises(ValueError, match="No layer named 'nope'"):
        model.get_layer("nope")
    with pytest.raises(ValueError, match="out of range"):
        model.get_layer(index=10)


def test_forward_matches_numpy():
    a, b, out1, out2 = _two_io_model()
    model = keras.Model([a, b], [out1, out2])
    xa, xb, _, _ = _data(4)
    p1, p2 = model([xa, xb])
    w1, b1, w2, b2 = model.get_weights()
    h = np.concatenate([xa, xb], axis=1)
    np.testing.assert_allclose(np.asarray(p1), h @ w1 + b1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(p2), h @ w2 + b2, rtol=1e-5, atol=1e-6)


def test_fit_two_outputs_list_data_history_keys_and_weighted_loss():
    a, b, out1, out2 = _two_io_model()
    model = keras.Model([a, b], [out1, out2])
    model.compile("sgd", loss=["mse", "mse"], metrics=[["mae"], ["mae", "mse"]],
                  loss_weights=[1.0, 0.5])
    xa, xb, y1, y2 = _data()
    logs = model.evaluate([xa, xb], [y1, y2], verbose=0, return_dict=True)
    # Keras 3.15 logs for this model (checked against the real thing).
    assert set(logs) == {"loss", "out1_loss", "out1_mae", "out2_loss", "out2_mae", "out2_mse"}
    assert logs["loss"] == pytest.approx(logs["out1_loss"] + 0.5 * logs["out2_loss"], rel=1e-5)
    p1, p2 = model.predict([xa, xb], verbose=0)
    assert logs["out1_loss"] == pytest.approx(np.mean((p1 - y1) ** 2), rel=1e-5)
    history = model.fit([xa, xb], [y1, y2], epochs=4, batch_size=8, verbose=0)
    assert list(history.history) == ["loss", "out1_loss", "out1_mae", "out2_loss", "out2_mae",
                                     "out2_mse"] or set(history.history) == set(logs)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_fit_dict_inputs_and_outputs():
    a, b, out1, out2 = _two_io_model()
    model = keras.Model({"a": a, "b": b}, {"out1": out1, "out2": out2})
    model.compile("adam", loss={"out1": "mse", "out2": "mae"}, metrics={"out1": ["mae"]})
    xa, xb, y1, y2 = _data()
    history = model.fit({"a": xa, "b": xb}, {"out1": y1, "out2": y2}, epochs=3, batch_size=8,
                        verbose=0)
    assert set(history.history) == {"loss", "out1_loss", "out1_mae", "out2_loss"}
    out = model.predict({"a": xa, "b": xb}, verbose=0)
    assert set(out) == {"out1", "out2"} and out["out2"].shape == (16, 2)


def test_shared_layer_weights_counted_once_and_two_nodes():
    x1 = keras.Input((4,))
    x2 = keras.Input((4,))
    shared = keras.layers.Dense(3, name="shared")
    y = keras.layers.Add()([shared(x1), shared(x2)])
    model = keras.Model([x1, x2], y)
    assert len(model.trainable_weights) == 2
    assert model.count_params() == 4 * 3 + 3
    assert len(shared._inbound_nodes) == 2
    xa = np.ones((2, 4), "float32")
    xb = 2 * np.ones((2, 4), "float32")
    kernel, bias = shared.get_weights()
    np.testing.assert_allclose(np.asarray(model([xa, xb])), xa @ kernel + xb @ kernel + 2 * bias,
                               rtol=1e-5)
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Connected to" in text and "shared[0][0], shared[1][0]" in text


def test_nested_models_functional_and_sequential():
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, keras.layers.Dense(2, name="inner_dense")(inner_in), name="inner")
    seq = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="seq_dense")], name="seq")
    x = keras.Input((3,))
    model = keras.Model(x, seq(inner(x)))
    assert [layer.name for layer in model.layers][1:] == ["inner", "seq"]
    assert len(model.trainable_weights) == 4
    data = np.random.default_rng(1).standard_normal((5, 3)).astype("float32")
    expected = np.asarray(seq(inner(data)))
    np.testing.assert_allclose(np.asarray(model(data)), expected, rtol=1e-5)
    model.compile("sgd", "mse")
    history = model.fit(data, data[:, :1], epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_ops_and_operators_on_keras_tensors_record_nodes():
    x = keras.Input((3,), name="x")
    y = ops.mean((x + 1.0) * 2 - x[:, :1], axis=1, keepdims=True)
    model = keras.Model(x, y)
    data = np.arange(6, dtype="float32").reshape(2, 3)
    expected = ((data + 1.0) * 2 - data[:, :1]).mean(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(model(data)), expected, rtol=1e-6)
    assert model.output_shape == (None, 1)
    config = model.get_config()
    classes = [entry["class_name"] for entry in config["layers"]]
    assert classes == ["InputLayer", "Add", "Multiply", "GetItem", "Subtract", "Mean"]
    assert config["layers"][-1]["module"] == "keras.src.ops.numpy"
    assert config["layers"][-1]["config"] == {"name": "mean", "axis": 1, "keepdims": True}
    clone = keras.Model.from_config(json.loads(json.dumps(config)))
    np.testing.assert_allclose(np.asarray(clone(data)), expected, rtol=1e-6)


def test_config_round_trip_identical_predictions():
    a, b, out1, out2 = _two_io_model()
    extra = keras.layers.Dense(2, activation="relu", name="extra")(out2)
    model = keras.Model([a, b], [out1, extra], name="fn")
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    assert config["module"] == "keras.src.models.functional"
    assert config["class_name"] == "Functional"
    assert config["config"]["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    node = config["config"]["layers"][2]["inbound_nodes"][0]
    assert node["args"][0][1]["config"]["keras_history"] == ["b", 0, 0]
    clone = keras.saving.deserialize_keras_object(config)
    assert type(clone).__name__ == "Functional" and clone.name == "fn"
    clone.set_weights(model.get_weights())
    xa, xb, _, _ = _data(5)
    for p, q in zip(model.predict([xa, xb], verbose=0), clone.predict([xa, xb], verbose=0)):
        np.testing.assert_allclose(p, q, rtol=1e-6)


def test_from_config_keras2_node_format():
    config = {
        "name": "model", "layers": [
            {"class_name": "InputLayer", "name": "x", "inbound_nodes": [],
             "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "x"}},
            {"class_name": "Dense", "name": "d1", "inbound_nodes": [[["x", 0, 0, {}]]],
             "config": {"name": "d1", "units": 2, "activation": "relu"}},
            {"class_name": "Dense", "name": "d2", "inbound_nodes": [[["x", 0, 0, {}]]],
             "config": {"name": "d2", "units": 2}},
            {"class_name": "Add", "name": "add", "config": {"name": "add"},
             "inbound_nodes": [[["d1", 0, 0, {}], ["d2", 0, 0, {}]]]}],
        "input_layers": [["x", 0, 0]], "output_layers": [["add", 0, 0]]}
    model = keras.Model.from_config(config)
    assert [layer.name for layer in model.layers] == ["x", "d1", "d2", "add"]
    data = np.random.default_rng(2).standard_normal((4, 3)).astype("float32")
    k1, b1, k2, b2 = model.get_weights()
    expected = np.maximum(data @ k1 + b1, 0) + data @ k2 + b2
    np.testing.assert_allclose(model.predict(data, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_config_structure_matches_keras3():
    keras3 = pytest.importorskip("keras")
    import os

    if os.environ.get("KERAS_BACKEND") != "jax":
        pytest.skip("needs the JAX backend of Keras 3")

    def build(lib):
        a = lib.Input((3,), name="a")
        b = lib.Input((2,), name="b")
        h = lib.layers.Concatenate(name="cat")([a, b])
        return lib.Model({"a": a, "b": b}, [lib.layers.Dense(1, name="o1")(h),
                                            lib.layers.Dense(2, name="o2")(h)], name="fn")

    ours = build(keras).get_config()
    theirs = json.loads(json.dumps(build(keras3).get_config()))
    assert set(ours) == set(theirs)
    assert ours["input_layers"] == theirs["input_layers"]
    assert ours["output_layers"] == theirs["output_layers"]
    for mine, real in zip(ours["layers"], theirs["layers"]):
        assert set(mine) == set(real), mine["name"]
        assert mine["name"] == real["name"]
        assert mine["inbound_nodes"] == real["inbound_nodes"]


def test_bad_graphs_give_clear_errors():
    x = keras.Input((3,))
    other = keras.Input((3,), name="other")
    y = keras.layers.Add()([x, other])
    with pytest.raises(ValueError, match="Graph disconnected.*'other'"):
        keras.Model(x, y)
    with pytest.raises(ValueError, match="keras.Input"):
        keras.Model(np.ones((2, 3)), y)
    model = keras.Model([x, other], y)
    with pytest.raises(ValueError, match="expects 2 input"):
        model.predict(np.ones((2, 3)), verbose=0)
    with pytest.raises(ValueError, match="incompatible: expected shape"):
        model([np.ones((2, 3)), np.ones((2, 4))])


def test_runs_inside_stateless_call_with_training_flag():
    x = keras.Input((4,))
    y = keras.layers.Dropout(0.5, seed=1)(keras.layers.Dense(4, kernel_initializer="ones")(x))
    model = keras.Model(x, y)
    data = np.ones((8, 4), "float32")
    out, _ = model.stateless_call([v.value for v in model.trainable_variables],
                                  [v.value for v in model.non_trainable_variables], data,
                                  training=True)
    values = np.asarray(out)
    assert set(np.unique(values)) <= {0.0, 8.0} and (values == 0).any()
    np.testing.assert_allclose(np.asarray(model(data)), 4 * np.ones((8, 4)))


def _residual_graph(lib):
    inputs = lib.Input((4,), name="x")
    shortcut = lib.layers.Dense(3, name="shortcut")(inputs)
    branch = lib.layers.Dense(5, name="branch_1")(inputs)
    branch = lib.layers.Dense(3, name="branch_2")(branch)
    merged = lib.layers.Add(name="add")([shortcut, branch])
    side = lib.layers.Dense(3, name="side")(inputs)
    return lib.Model(inputs, lib.layers.Concatenate(name="out")([merged, side]))


def test_layers_come_in_keras_depth_order():
    # Keras sorts by depth (longest path to an output), so the longer branch comes before the
    # shortcut created first; legacy .h5 weight files list layers in this order.
    real_keras = pytest.importorskip("keras")
    expected = [layer.name for layer in _residual_graph(real_keras).layers]
    assert [layer.name for layer in _residual_graph(keras).layers] == expected
    assert expected.index("branch_1") < expected.index("shortcut")


# ---------------------------------------------------------------------- call kwargs as Keras
def _call_dropout(m, x, e, mk):
    return [m.layers.Dropout(0.5, name="plain")(x),
            m.layers.Dropout(0.5, name="off")(x, training=False),
            m.layers.Dropout(0.5, name="on")(x, training=True)]


def _call_norms(m, x, e, mk):
    return [m.layers.BatchNormalization(name="bn")(x), m.layers.LayerNormalization(name="ln")(x),
            m.layers.Dense(2, name="dense")(x), m.layers.GaussianNoise(0.1, name="noise")(x)]


def _call_rnn(m, x, e, mk):
    states = [m.layers.Dense(2, name="h")(x), m.layers.Dense(2, name="c")(x)]
    return [m.layers.LSTM(2, name="plain")(e), m.layers.LSTM(2, name="masked")(e, mask=mk),
            m.layers.LSTM(2, name="init")(e, initial_state=states),
            m.layers.GRU(2, name="gru_off")(e, training=False)]


def _call_attention(m, x, e, mk):
    return [m.layers.MultiHeadAttention(2, 2, name="causal")(e, e, use_causal_mask=True),
            m.layers.MultiHeadAttention(2, 2, name="keyed")(e, e, key=e),
            m.layers.MultiHeadAttention(2, 2, name="three")(e, e, e)]


def _call_mixed(m, x, e, mk):
    """Under mixed_float16 a float32 input is converted first, so Keras fills nothing in."""
    return [m.layers.Dropout(0.5, name="mixed_drop", dtype="mixed_float16")(x)]


@pytest.mark.parametrize("calls", [_call_dropout, _call_norms, _call_rnn, _call_attention,
                                   _call_mixed], ids=lambda f: f.__name__[6:])
def test_node_call_arguments_match_keras(calls):
    """`inbound_nodes` args/kwargs as Keras 3.15.1 writes them: a plain call of a layer whose
    `call` has `training=False` records it, one with a `mask` argument records the input's
    mask (null here), given keyword arguments are recorded as given."""
    real = pytest.importorskip("keras")
    nodes = []
    for m in (keras, real):
        x = m.Input((4,), name="x")
        e = m.Input((5, 3), name="e")
        mk = m.Input((5,), dtype="bool", name="mk")
        model = m.Model([x, e, mk], calls(m, x, e, mk))
        nodes.append({layer["name"]: layer["inbound_nodes"]
                      for layer in json.loads(json.dumps(model.get_config()))["layers"]})
    assert nodes[0] == nodes[1]


def test_keras_written_training_kwargs_follow_the_model_mode(tmp_path):
    """A Keras file records `training: false` for every plain Dropout call; as in Keras 3, the
    model's mode wins over it (fit drops units, predict and a plain call do not), and an
    explicit `training=True` node stays active in a plain call."""
    real = pytest.importorskip("keras")
    inputs = real.Input((200,))
    off = real.layers.Dropout(0.5, name="off")(inputs, training=False)
    on = real.layers.Dropout(0.5, name="on")(inputs, training=True)
    plain = real.layers.Dropout(0.5, name="plain")(inputs)
    real.Model(inputs, [off, on, plain]).save(tmp_path / "dropout.keras")
    loaded = keras.models.load_model(tmp_path / "dropout.keras")
    x = np.ones((2, 200), "float32")

    def dropped(outputs):
        return [int((np.asarray(o) == 0).sum()) for o in outputs]

    off_count, on_count, plain_count = dropped(loaded(x))
    assert off_count == plain_count == 0 and on_count > 0
    assert min(dropped(loaded(x, training=True))) > 0
    assert dropped(loaded.predict(x, verbose=0)) == [0, 0, 0]


@pytest.mark.parametrize("module_name", ["keras", "neokeras"])
def test_dropout_with_training_false_trains_as_in_keras(tmp_path, module_name):
    """Keras 3.15.1 runs `Dropout(...)(x, training=False)` in training mode during fit (the
    model's mode wins); a Keras-written file loaded here behaves the same."""
    real = pytest.importorskip("keras")
    inputs = real.Input((50,))
    hidden = real.layers.Dropout(0.5, seed=1)(inputs, training=False)
    outputs = real.layers.Dense(1, use_bias=False, kernel_initializer="ones")(hidden)
    model = real.Model(inputs, outputs)
    if module_name == "neokeras":
        model.save(tmp_path / "m.keras")
        model = keras.models.load_model(tmp_path / "m.keras")
    model.compile(optimizer=(real if module_name == "keras" else keras).optimizers.SGD(0.0),
                  loss="mse")
    x, y = np.ones((8, 50), "float32"), np.zeros((8, 1), "float32")
    evaluated = model.evaluate(x, y, verbose=0)  # 50 ** 2: no dropout
    trained = model.fit(x, y, epochs=1, verbose=0).history["loss"][0]
    assert evaluated == pytest.approx(2500.0) and abs(trained - evaluated) > 1.0
