"""Legacy Keras 2 HDF5: full models and weights files, written and read."""

import json

import h5py
import numpy as np
import pytest

import neokeras as nk

from conftest import make_mlp, train


def test_h5_is_written_in_keras2_style(tmp_path):
    model = make_mlp()
    train(model)
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5") as f:
        config = json.loads(f.attrs["model_config"])
        layers = config["config"]["layers"]
        assert config["class_name"] == "Sequential" and "module" not in config
        assert layers[0]["config"]["batch_input_shape"] == [None, 3]
        assert layers[1]["config"]["batch_input_shape"] == [None, 3]
        assert layers[1]["config"]["dtype"] == "float32"
        assert "module" not in layers[1]
        group = f["model_weights"]
        assert [n.decode() for n in group.attrs["layer_names"]] == ["dense", "dense_1"]
        names = [n.decode() for n in group["dense"].attrs["weight_names"]]
        assert names == ["dense/kernel:0", "dense/bias:0"]
        np.testing.assert_array_equal(group["dense"]["dense/kernel:0"][()],
                                      model.layers[0].kernel.numpy())
        training = json.loads(f.attrs["training_config"])
        assert training["loss"] == "mean_squared_error" and training["optimizer_config"]["class_name"] == "Adam"
        assert len(f["optimizer_weights"].attrs["weight_names"]) == 10


def test_h5_round_trip(tmp_path):
    model = make_mlp()
    x = train(model)
    model.save(tmp_path / "m.h5")
    loaded = nk.models.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    assert isinstance(loaded.optimizer, nk.optimizers.Adam)
    np.testing.assert_allclose(loaded.optimizer.learning_rate, 1e-2, rtol=1e-6)
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_our_h5_loads_in_real_keras(tmp_path, real_keras):
    model = make_mlp()
    x = train(model)
    model.save(tmp_path / "m.h5")
    theirs = real_keras.saving.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)),
                               model.predict(x, verbose=0), atol=1e-5)
    assert theirs.optimizer.__class__.__name__ == "Adam"
    np.testing.assert_allclose(float(theirs.optimizer.learning_rate), 1e-2, rtol=1e-6)
    assert int(theirs.optimizer.iterations.numpy()) == 4


def test_legacy_weights_by_order_by_name_and_skip_mismatch(tmp_path):
    model = make_mlp(compile=False)
    model.save_weights(tmp_path / "w.h5")
    with h5py.File(tmp_path / "w.h5") as f:
        assert "model_weights" not in f and "layer_names" in f.attrs
    x = np.ones((2, 3), "float32")
    same = make_mlp(compile=False)
    same.load_weights(tmp_path / "w.h5")
    np.testing.assert_allclose(same.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)

    renamed = nk.Sequential([nk.layers.Input((3,)), nk.layers.Dense(4, name="dense"),
                             nk.layers.Dense(2, name="other")])
    before = renamed.layers[1].kernel.numpy()
    renamed.load_weights(tmp_path / "w.h5", by_name=True)
    np.testing.assert_array_equal(renamed.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())
    np.testing.assert_array_equal(renamed.layers[1].kernel.numpy(), before)

    wrong = nk.Sequential([nk.layers.Input((3,)), nk.layers.Dense(4, name="dense"),
                           nk.layers.Dense(7, name="dense_1")])
    with pytest.raises(ValueError, match=r"Layer 'dense_1'.*\(4, 2\).*\(4, 7\)"):
        wrong.load_weights(tmp_path / "w.h5", by_name=True)
    with pytest.warns(UserWarning, match="Skipping loading weights for Layer 'dense_1'"):
        wrong.load_weights(tmp_path / "w.h5", by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(wrong.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())

    three = nk.Sequential([nk.layers.Input((3,)), nk.layers.Dense(4), nk.layers.Dense(2),
                           nk.layers.Dense(1)])
    with pytest.raises(ValueError, match="2 layers.*3 layers with weights"):
        three.load_weights(tmp_path / "w.h5")


def test_real_keras_legacy_weights_load_here(tmp_path, real_keras):
    keras = real_keras
    theirs = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    theirs.save(tmp_path / "k.h5")
    x = np.ones((2, 3), "float32")
    ours = make_mlp(compile=False)
    ours.layers[0].activation = nk.activations.get("linear")
    ours.load_weights(tmp_path / "k.h5")
    np.testing.assert_allclose(ours.predict(x, verbose=0), np.asarray(theirs.predict(x, verbose=0)),
                               atol=1e-5)
    loaded = nk.models.load_model(tmp_path / "k.h5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), np.asarray(theirs.predict(x, verbose=0)),
                               atol=1e-5)


def _functional():
    a = nk.Input((3,), name="a")
    b = nk.Input((2,), name="b")
    h = nk.layers.Dense(4, activation="tanh", name="da")(a)
    reg = nk.layers.Dense(1, name="reg")(nk.layers.Concatenate()([h, b]))
    cls = nk.layers.Dense(2, activation="softmax", name="cls")(h)
    model = nk.Model([a, b], [reg, cls])
    model.compile("adam", ["mse", "categorical_crossentropy"], loss_weights=[1.0, 0.5])
    return model


def test_functional_h5_uses_keras2_nodes_and_round_trips(tmp_path, real_keras):
    model = _functional()
    model.save(tmp_path / "f.h5")
    with h5py.File(tmp_path / "f.h5") as f:
        config = json.loads(f.attrs["model_config"])["config"]
    concat = [l for l in config["layers"] if l["class_name"] == "Concatenate"][0]
    assert concat["inbound_nodes"] == [[["da", 0, 0, {}], ["b", 0, 0, {}]]]
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    xs = [np.ones((2, 3), "float32"), np.arange(4, dtype="float32").reshape(2, 2)]
    expected = model.predict(xs, verbose=0)
    loaded = nk.models.load_model(tmp_path / "f.h5")
    assert loaded.get_compile_config()["loss_weights"] == [1.0, 0.5]
    theirs = real_keras.saving.load_model(tmp_path / "f.h5")
    for ours_out, theirs_out, want in zip(loaded.predict(xs, verbose=0),
                                          theirs.predict(xs, verbose=0), expected):
        np.testing.assert_allclose(ours_out, want, atol=1e-6)
        np.testing.assert_allclose(np.asarray(theirs_out), want, atol=1e-5)
