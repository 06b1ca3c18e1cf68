"""Custom losses and metrics by name: the global dict, `register_keras_serializable`, scopes."""

import numpy as np
import pytest

import neokeras as keras
from neokeras import config as nk_config
from neokeras import ops


@pytest.fixture(autouse=True)
def clean_registry():
    saved = dict(keras.saving.get_custom_objects())
    yield
    registry = keras.saving.get_custom_objects()
    registry.clear()
    registry.update(saved)


def squared(y_true, y_pred):
    return ops.mean((y_true - y_pred) ** 2, axis=-1)


def absolute(y_true, y_pred):
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


class SquaredLoss(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return squared(y_true, y_pred)


class AbsMetric(keras.metrics.MeanMetricWrapper):
    def __init__(self, name="abs_metric", dtype=None):
        super().__init__(fn=absolute, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


def _data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 4)).astype("float32")
    return x, rng.normal(size=(16, 1)).astype("float32")


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.layers[0].set_weights([np.full((4, 1), 0.1, "float32"), np.zeros(1, "float32")])
    return model


def _expected(model, x, y):
    pred = model.predict(x, verbose=0)
    return float(np.mean((y - pred) ** 2)), float(np.mean(np.abs(y - pred)))


@pytest.mark.parametrize("register", ["dict", "dict_class", "decorator"])
def test_compile_by_custom_name(register):
    registry = keras.utils.get_custom_objects()
    assert registry is keras.saving.get_custom_objects()
    if register == "dict":
        registry.update(my_loss=squared, my_metric=absolute)
        loss, metric, metric_key = "my_loss", "my_metric", "my_metric"
    elif register == "dict_class":
        registry.update(MyLoss=SquaredLoss, MyMetric=AbsMetric)
        loss, metric, metric_key = "MyLoss", "MyMetric", "MyMetric"
    else:
        keras.saving.register_keras_serializable()(squared)
        keras.utils.register_keras_serializable(package="P")(AbsMetric)
        loss, metric, metric_key = "Custom>squared", "P>AbsMetric", "P>AbsMetric"
    x, y = _data()
    model = _model()
    model.compile("sgd", loss=loss, metrics=[metric])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    mse, mae = _expected(model, x, y)
    assert logs["loss"] == pytest.approx(mse, rel=1e-5)
    assert logs[metric_key] == pytest.approx(mae, rel=1e-5)


def test_short_name_of_registered_object_gets_a_hint():
    keras.saving.register_keras_serializable()(squared)
    with pytest.raises(ValueError, match=r"Unknown loss 'squared'.*did you mean \['Custom>squared'\]"):
        keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)]).compile("sgd", loss="squared")
    with pytest.raises(ValueError, match=r"Unknown metric 'nothing'.*get_custom_objects\(\)"):
        keras.metrics.get("nothing")


@pytest.mark.parametrize("ext", ["keras", "h5"])
@pytest.mark.parametrize("how", ["custom_objects", "scope", "global"])
def test_load_model_resolves_names_while_loading(tmp_path, ext, how):
    x, y = _data()
    model = _model()
    model.compile("sgd", loss=SquaredLoss(), metrics=[absolute])
    model.fit(x, y, verbose=0)
    path = tmp_path / f"m.{ext}"
    model.save(path)
    objects = {"SquaredLoss": SquaredLoss, "absolute": absolute}
    if how == "custom_objects":
        loaded = keras.models.load_model(path, custom_objects=objects)
    elif how == "scope":
        with keras.utils.custom_object_scope(objects):
            loaded = keras.models.load_model(path)
    else:
        keras.saving.get_custom_objects().update(objects)
        loaded = keras.models.load_model(path)
    keras.saving.get_custom_objects().clear()
    # Evaluated outside the scope: the names were bound when the model was compiled.
    logs = loaded.evaluate(x, y, verbose=0, return_dict=True)
    mse, mae = _expected(model, x, y)
    assert logs["loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["absolute"] == pytest.approx(mae, rel=1e-5)


def test_get_registered_object_lookup_order():
    keras.saving.register_keras_serializable()(squared)
    assert keras.saving.get_registered_object("Custom>squared") is squared
    assert keras.utils.get_registered_object("x", custom_objects={"x": absolute}) is absolute
    with keras.saving.custom_object_scope({"Custom>squared": absolute}):
        assert keras.saving.get_registered_object("Custom>squared") is absolute
    assert keras.saving.get_registered_object("missing", module_objects={"a": 1}) is None


def test_enable_unsafe_deserialization(monkeypatch):
    serialized = keras.utils.serialize_keras_object(lambda v: v + 1)
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.utils.deserialize_keras_object(serialized)
    monkeypatch.setattr(nk_config, "_UNSAFE_DESERIALIZATION", False)
    keras.config.enable_unsafe_deserialization()
    assert keras.utils.deserialize_keras_object(serialized, safe_mode=True)(1) == 2
