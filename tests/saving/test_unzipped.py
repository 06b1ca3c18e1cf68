"""`save(..., zipped=False)`: the Keras 3 unzipped model directory, and loading it."""

import json
import os

import numpy as np
import pytest

import neokeras as nk
from neokeras.saving import saving_lib

from conftest import make_mlp, train

FILES = ["config.json", "metadata.json", "model.weights.h5"]


def test_directory_round_trip_keeps_weights_optimizer_and_compile(tmp_path):
    model = make_mlp()
    x = train(model)
    path = tmp_path / "model_dir"
    model.save(path, zipped=False)
    assert sorted(os.listdir(path)) == FILES
    assert sorted(os.listdir(tmp_path)) == ["model_dir"]  # no temporary directory left behind
    config = json.loads((path / "config.json").read_text())
    assert config["class_name"] == "Sequential" and "compile_config" in config
    loaded = nk.saving.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert nk.models.load_model(str(path), compile=False).compiled is False


def test_directory_and_archive_hold_the_same_members(tmp_path):
    import zipfile

    model = make_mlp()
    train(model)
    model.save(tmp_path / "m.keras")
    nk.saving.save_model(model, tmp_path / "d", zipped=False)
    with zipfile.ZipFile(tmp_path / "m.keras") as zf:
        assert sorted(zf.namelist()) == FILES
        assert json.loads(zf.read("config.json")) == json.loads((tmp_path / "d/config.json").read_text())


def test_functional_model_directory_round_trip(tmp_path):
    inputs = nk.Input((3,), name="x")
    outputs = nk.layers.Dense(2, name="d")(nk.layers.Dense(4, activation="relu")(inputs))
    model = nk.Model(inputs, outputs)
    x = np.random.default_rng(1).normal(size=(5, 3)).astype("float32")
    model.save(tmp_path / "f", zipped=False)
    loaded = nk.saving.load_model(tmp_path / "f")
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_overwrite_replaces_a_model_directory_only(tmp_path):
    path = tmp_path / "m"
    first, second = make_mlp(compile=False), make_mlp(compile=False)
    first.save(path, zipped=False)
    with pytest.raises(FileExistsError):
        second.save(path, zipped=False, overwrite=False)
    second.save(path, zipped=False)
    loaded = nk.saving.load_model(path)
    for a, b in zip(loaded.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert sorted(os.listdir(tmp_path)) == ["m"]
    # A directory holding anything else is never deleted.
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"meow")
    with pytest.raises(ValueError, match="not a saved model directory"):
        second.save(other, zipped=False)
    assert (other / "cat.jpg").read_bytes() == b"meow"
    with pytest.raises(ValueError, match="zipped=False"):
        second.save(tmp_path / "m.keras", zipped=False)


def test_failed_save_leaves_the_previous_directory_intact(tmp_path, monkeypatch):
    path = tmp_path / "m"
    model = make_mlp(compile=False)
    model.save(path, zipped=False)
    before = (path / "model.weights.h5").read_bytes()

    def broken(model, h5file):
        raise OSError("disk full")

    monkeypatch.setattr(saving_lib, "write_weights", broken)
    with pytest.raises(OSError, match="disk full"):
        make_mlp(compile=False).save(path, zipped=False)
    assert (path / "model.weights.h5").read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m"]


def test_loading_a_directory_that_is_not_a_model(tmp_path):
    with pytest.raises(ValueError, match="without a 'config.json'"):
        nk.saving.load_model(tmp_path)
    model = make_mlp(compile=False)
    model.save(tmp_path / "m", zipped=False)
    os.remove(tmp_path / "m" / "model.weights.h5")
    with pytest.raises(ValueError, match="holds no 'model.weights.h5'"):
        nk.saving.load_model(tmp_path / "m")
    (tmp_path / "m" / "config.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        nk.saving.load_model(tmp_path / "m")


def test_real_keras_loads_our_directory_and_we_load_its(tmp_path, real_keras):
    model = make_mlp()
    x = train(model)
    model.save(tmp_path / "ours", zipped=False)
    theirs = real_keras.saving.load_model(tmp_path / "ours")
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)),
                               model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
    # Keras writes an (empty) assets folder as well; both directions round trip.
    theirs.save(tmp_path / "keras_dir", zipped=False)
    assert "assets" in os.listdir(tmp_path / "keras_dir")
    back = nk.saving.load_model(tmp_path / "keras_dir")
    np.testing.assert_allclose(back.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)
    # Our save may replace a directory Keras wrote.
    model.save(tmp_path / "keras_dir", zipped=False)
    assert sorted(os.listdir(tmp_path / "keras_dir")) == FILES


def test_functional_subclass_directory_loads_in_real_keras_and_back(tmp_path, real_keras):
    class Tagged(nk.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.tag = "ours"

    class KerasTagged(real_keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.tag = "theirs"

    inputs = nk.Input((3,))
    model = Tagged(inputs, nk.layers.Dense(2)(nk.layers.Dense(4, activation="relu")(inputs)))
    x = np.random.default_rng(2).normal(size=(4, 3)).astype("float32")
    model.save(tmp_path / "ours", zipped=False)
    # Keras finds an unregistered custom class through custom_objects by its registered_name.
    assert json.loads((tmp_path / "ours/config.json").read_text())["registered_name"] == "Tagged"
    theirs = real_keras.saving.load_model(tmp_path / "ours", custom_objects={"Tagged": KerasTagged})
    assert theirs.tag == "theirs"
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)),
                               model.predict(x, verbose=0), rtol=1e-6, atol=1e-6)
    theirs.save(tmp_path / "theirs", zipped=False)
    back = nk.saving.load_model(tmp_path / "theirs", custom_objects={"KerasTagged": Tagged})
    assert isinstance(back, Tagged) and back.tag == "ours"
    np.testing.assert_allclose(back.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)
