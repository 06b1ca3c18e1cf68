"""Lambda, Rescaling and Normalization layers."""

import numpy as np
import pytest

import neokeras as keras
from neokeras.saving.serialization import SafeModeScope
from neokeras.saving.serialization import deserialize_keras_object, serialize_keras_object
from neokeras.testing import check_layer

DATA = np.random.default_rng(0).standard_normal((4, 3)).astype("float32") * 3 + 1


def test_rescaling():
    out = check_layer(keras.layers.Rescaling, {"scale": 0.5, "offset": -1.0}, input_shape=(4, 3),
                      input_data=DATA, expected_trainable=0)
    np.testing.assert_allclose(out, DATA * 0.5 - 1.0, rtol=1e-6)
    ints = np.arange(6, dtype="int32").reshape(2, 3)
    out = keras.layers.Rescaling(1 / 255)(ints)
    assert str(out.dtype) == "float32"
    np.testing.assert_allclose(np.asarray(out), ints / 255, rtol=1e-6)


def test_normalization_fixed_statistics_and_invert():
    mean, variance = [1.0, 2.0, 3.0], [4.0, 1.0, 0.25]
    out = check_layer(keras.layers.Normalization, {"mean": mean, "variance": variance},
                      input_shape=(4, 3), input_data=DATA, expected_non_trainable=0)
    np.testing.assert_allclose(out, (DATA - mean) / np.sqrt(variance), rtol=1e-5)
    inverse = keras.layers.Normalization(mean=mean, variance=variance, invert=True)
    np.testing.assert_allclose(np.asarray(inverse(out)), DATA, rtol=1e-5, atol=1e-5)


def test_normalization_adapt_uses_numpy_statistics():
    layer = keras.layers.Normalization()
    layer.adapt(DATA)
    # Keras also keeps an (unused) int `count`, and its weight files hold it.
    assert [w.name for w in layer.non_trainable_weights] == ["mean", "variance", "count"]
    assert not layer.trainable_weights
    np.testing.assert_allclose(layer.mean.numpy(), DATA.mean(0), rtol=1e-5)
    np.testing.assert_allclose(layer.variance.numpy(), DATA.var(0), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(layer(DATA)), (DATA - DATA.mean(0)) / DATA.std(0),
                               rtol=1e-4, atol=1e-5)
    check_layer(keras.layers.Normalization, input_shape=(4, 3), expected_non_trainable=3)


def test_normalization_axis_none_and_tuple():
    images = np.random.default_rng(1).random((5, 2, 3)).astype("float32")
    layer = keras.layers.Normalization(axis=None)
    layer.adapt(images)
    assert layer.mean.shape == ()
    np.testing.assert_allclose(layer.mean.numpy(), images.mean(), rtol=1e-5)
    layer = keras.layers.Normalization(axis=(1, 2))
    layer.adapt(images)
    np.testing.assert_allclose(layer.variance.numpy(), images.var(0), rtol=1e-4)
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        keras.layers.Normalization(mean=1.0)


def test_normalization_matches_keras3():
    keras3 = pytest.importorskip("keras")
    theirs = keras3.layers.Normalization()
    theirs.adapt(DATA)
    ours = keras.layers.Normalization()
    ours.adapt(DATA)
    np.testing.assert_allclose(np.asarray(ours(DATA)), np.asarray(theirs(DATA)), rtol=1e-4,
                               atol=1e-5)
    assert set(ours.get_config()) == set(theirs.get_config())


def test_lambda_with_output_shape_and_arguments():
    with SafeModeScope(False):  # the harness round-trips the config, lambda included
        out = check_layer(keras.layers.Lambda,
                          {"function": lambda x: x * 2, "output_shape": (3,)},
                          input_shape=(4, 3), input_data=DATA)
    np.testing.assert_allclose(out, DATA * 2)
    layer = keras.layers.Lambda(lambda x, power: x ** power, arguments={"power": 3})
    np.testing.assert_allclose(np.asarray(layer(DATA)), DATA ** 3, rtol=1e-5)
    assert layer.compute_output_shape((None, 3)) == (None, 3)
    assert keras.layers.Lambda(lambda x: x, output_shape=(7,)).compute_output_shape(
        (None, 3)) == (None, 7)


def test_lambda_serialization_is_refused_in_safe_mode():
    offset = 5.0
    layer = keras.layers.Lambda(lambda x: x + offset, name="shift")
    config = serialize_keras_object(layer)
    assert config["config"]["function"]["class_name"] == "__lambda__"
    assert set(config["config"]["function"]["config"]) == {"code", "defaults", "closure"}
    with pytest.raises(ValueError, match="safe_mode=False"):
        deserialize_keras_object(config)
    clone = deserialize_keras_object(config, safe_mode=False)
    np.testing.assert_allclose(np.asarray(clone(DATA)), DATA + 5.0)


def test_lambda_in_functional_model_round_trip():
    x = keras.Input((3,))
    y = keras.layers.Lambda(lambda t: t * t)(keras.layers.Dense(2)(x))
    model = keras.Model(x, y)
    config = serialize_keras_object(model)
    with pytest.raises(ValueError, match="safe_mode=False"):
        deserialize_keras_object(config)
    clone = deserialize_keras_object(config, safe_mode=False)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(DATA, verbose=0), model.predict(DATA, verbose=0),
                               rtol=1e-6)


def test_lambda_rejects_non_callable():
    with pytest.raises(TypeError, match="must be callable"):
        keras.layers.Lambda(3)
