"""Configs and custom objects: to_json/model_from_json, clone_model, registration, scopes."""

import json
import zipfile

import numpy as np
import pytest

import neokeras as nk
from neokeras.saving import object_registration

from conftest import make_mlp


class Scale(nk.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@pytest.fixture(autouse=True)
def _clean_registry():
    saved = dict(object_registration._GLOBAL_CUSTOM_OBJECTS)
    yield
    object_registration._GLOBAL_CUSTOM_OBJECTS.clear()
    object_registration._GLOBAL_CUSTOM_OBJECTS.update(saved)
    object_registration._GLOBAL_CUSTOM_NAMES.clear()
    object_registration._GLOBAL_CUSTOM_NAMES.update(
        {v: k for k, v in saved.items()})


def _model_with_scale():
    return nk.Sequential([nk.layers.Input((2,)), nk.layers.Dense(3), Scale(3.0, name="scale")])


def test_to_json_and_model_from_json():
    model = make_mlp()
    text = model.to_json()
    config = json.loads(text)
    assert config["class_name"] == "Sequential" and config["module"] == "keras"
    rebuilt = nk.models.model_from_json(text)
    assert [l.name for l in rebuilt.layers] == ["dense", "dense_1"]
    assert rebuilt.layers[0].units == 4 and rebuilt.layers[0].activation.__name__ == "relu"
    assert rebuilt.compiled and isinstance(rebuilt.optimizer, nk.optimizers.Adam)
    np.testing.assert_allclose(rebuilt.optimizer.learning_rate, 1e-2, rtol=1e-6)
    with pytest.raises(ValueError, match="not valid JSON"):
        nk.models.model_from_json("{oops")


def test_model_from_keras2_json():
    keras2 = {"class_name": "Sequential", "config": {"name": "seq", "layers": [
        {"class_name": "Dense", "config": {"name": "d", "units": 3, "dtype": "float32",
                                           "batch_input_shape": [None, 5], "activation": "tanh",
                                           "kernel_initializer": {"class_name": "GlorotUniform",
                                                                  "config": {"seed": None}}}}]}}
    model = nk.models.model_from_json(json.dumps(keras2))
    assert model.built and model.input_shape == (None, 5) and model.output_shape == (None, 3)


def test_clone_model_same_architecture_new_weights():
    model = make_mlp()
    clone = nk.models.clone_model(model)
    assert clone is not model
    assert [type(l) for l in clone.layers] == [type(l) for l in model.layers]
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]
    assert all(a is not b for a, b in zip(clone.weights, model.weights))
    assert not np.allclose(clone.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())


def test_clone_model_of_a_compiled_model_is_compiled_alike():
    keras = pytest.importorskip("keras")
    for lib in (nk, keras):
        model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        clone = lib.models.clone_model(model)
        assert clone.compiled and clone.optimizer is not model.optimizer
        assert clone.optimizer.get_config()["learning_rate"] == pytest.approx(0.01)
        assert clone.get_compile_config()["loss"] == "categorical_crossentropy"
        x, y = np.ones((8, 4), "float32"), np.eye(3)[np.arange(8) % 3]
        assert np.isfinite(clone.fit(x, y, epochs=1, verbose=0).history["loss"][0])


def test_unregistered_custom_layer_error_names_it_and_shows_the_fix(tmp_path):
    model = _model_with_scale()
    model.save(tmp_path / "m.keras")
    with pytest.raises(ValueError) as info:
        nk.models.load_model(tmp_path / "m.keras")
    message = str(info.value)
    assert "Unknown class 'Scale'" in message
    assert "Registered custom objects:" in message
    assert "@neokeras.saving.register_keras_serializable()" in message
    assert "custom_objects={'Scale': ...}" in message


def test_custom_objects_argument_and_scope(tmp_path):
    model = _model_with_scale()
    model.save(tmp_path / "m.keras")
    x = np.ones((2, 2), "float32")
    expected = model.predict(x, verbose=0)
    loaded = nk.models.load_model(tmp_path / "m.keras", custom_objects={"Scale": Scale})
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, atol=1e-6)
    assert loaded.layers[1].factor == 3.0
    with nk.saving.custom_object_scope({"Scale": Scale}):
        loaded = nk.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, atol=1e-6)


def test_registered_name_is_written_and_resolved(tmp_path):
    registered = nk.saving.register_keras_serializable(package="demo", name="Times")(Scale)
    model = _model_with_scale()
    model.save(tmp_path / "m.keras")
    config = json.loads(zipfile.ZipFile(tmp_path / "m.keras").read("config.json"))
    entry = config["config"]["layers"][2]
    assert entry["registered_name"] == "demo>Times" and entry["class_name"] == "Scale"
    loaded = nk.models.load_model(tmp_path / "m.keras")
    assert type(loaded.layers[1]) is registered
    object_registration._GLOBAL_CUSTOM_OBJECTS.pop("demo>Times")
    with pytest.raises(ValueError, match=r'register_keras_serializable\(package="demo", name="Times"\)'):
        nk.models.load_model(tmp_path / "m.keras")


def test_registered_custom_layer_loads_in_real_keras(tmp_path, real_keras):
    keras = real_keras
    nk.saving.register_keras_serializable(package="demo_rk")(Scale)

    @keras.saving.register_keras_serializable(package="demo_rk", name="Scale")
    class TheirScale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    model = _model_with_scale()
    model.save(tmp_path / "m.keras")
    x = np.ones((2, 2), "float32")
    theirs = keras.saving.load_model(tmp_path / "m.keras")
    assert type(theirs.layers[1]) is TheirScale
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)),
                               model.predict(x, verbose=0), atol=1e-5)
