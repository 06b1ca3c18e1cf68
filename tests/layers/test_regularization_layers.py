"""SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, ActivityRegularization."""

import math
import os

import numpy as np
import pytest

import neokeras as keras
from neokeras import layers
from neokeras.testing import check_layer

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("cls,kwargs,shape,channel_axis", [
    ("SpatialDropout1D", {}, (8, 30, 40), -1),
    ("SpatialDropout2D", {}, (8, 6, 5, 40), -1),
    ("SpatialDropout2D", {"data_format": "channels_first"}, (8, 40, 6, 5), 1),
    ("SpatialDropout3D", {}, (4, 3, 3, 3, 40), -1),
    ("SpatialDropout3D", {"data_format": "channels_first"}, (4, 40, 3, 3, 3), 1),
])
def test_spatial_dropout_drops_whole_channels(cls, kwargs, shape, channel_axis):
    layer_cls = getattr(layers, cls)
    x = np.ones(shape, "float32")
    out = check_layer(layer_cls, {"rate": 0.4, **kwargs}, input_data=x, input_shape=shape,
                      expected_output_shape=shape, expected_trainable=0)
    np.testing.assert_array_equal(out, x)  # inference: identity
    out = np.asarray(layer_cls(0.4, seed=1, **kwargs)(x, training=True))
    moved = np.moveaxis(out, channel_axis, -1).reshape(shape[0], -1, shape[channel_axis])
    assert np.all(moved == moved[:, :1, :])  # one decision per (sample, channel)
    assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.6)}
    assert abs((moved[:, 0, :] == 0).mean() - 0.4) < 0.15


def test_spatial_dropout_rank_error():
    with pytest.raises(ValueError, match="rank 3"):
        layers.SpatialDropout1D(0.2)(np.ones((2, 3), "float32"), training=True)


def test_gaussian_noise():
    x = np.zeros((400, 500), "float32")
    out = check_layer(layers.GaussianNoise, {"stddev": 0.5}, input_data=x, input_shape=x.shape,
                      expected_output_shape=x.shape, expected_trainable=0)
    np.testing.assert_array_equal(out, x)
    noisy = np.asarray(layers.GaussianNoise(0.5, seed=1)(x + 2.0, training=True))
    assert abs(noisy.mean() - 2.0) < 0.01 and abs(noisy.std() - 0.5) < 0.01
    with pytest.raises(ValueError, match="stddev"):
        layers.GaussianNoise(-1.0)


def test_gaussian_dropout():
    x = np.full((400, 500), 3.0, "float32")
    out = check_layer(layers.GaussianDropout, {"rate": 0.2}, input_data=x, input_shape=x.shape,
                      expected_output_shape=x.shape, expected_trainable=0)
    np.testing.assert_array_equal(out, x)
    noisy = np.asarray(layers.GaussianDropout(0.2, seed=1)(x, training=True))
    assert abs(noisy.mean() - 3.0) < 0.02
    assert abs(noisy.std() - 3.0 * math.sqrt(0.2 / 0.8)) < 0.02
    for rate in (-0.1, 1.0):
        with pytest.raises(ValueError, match="rate"):
            layers.GaussianDropout(rate)


def test_noise_layers_are_seeded_and_vary_between_calls():
    x = np.zeros((4, 5), "float32")
    a = np.asarray(layers.GaussianNoise(1.0, seed=3)(x, training=True))
    b = np.asarray(layers.GaussianNoise(1.0, seed=3)(x, training=True))
    np.testing.assert_array_equal(a, b)
    layer = layers.GaussianDropout(0.5, seed=3)
    y = np.ones((4, 5), "float32")
    assert not np.array_equal(np.asarray(layer(y, training=True)),
                              np.asarray(layer(y, training=True)))


def test_activity_regularization_adds_loss():
    x = np.array([[1.0, -2.0], [3.0, 0.5]], "float32")
    layer = layers.ActivityRegularization(l1=0.1, l2=0.01)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    expected = (0.1 * np.abs(x).sum() + 0.01 * np.square(x).sum()) / 2  # per-sample mean
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(np.asarray(layer.losses[0])), expected, rtol=1e-6)
    check_layer(layers.ActivityRegularization, {"l1": 0.1}, input_shape=(2, 3),
                expected_output_shape=(2, 3), expected_trainable=0)
    assert layers.ActivityRegularization(l2=0.5).get_config()["l2"] == 0.5


def test_activity_regularization_in_training_loss():
    model = keras.Sequential([
        keras.Input((3,)), layers.Dense(2, kernel_initializer="ones", use_bias=False),
        layers.ActivityRegularization(l2=0.5)])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    x = np.ones((4, 3), "float32")
    y = np.full((4, 2), 3.0, "float32")  # mse part is 0: outputs are all 3
    loss = model.evaluate(x, y, batch_size=4, verbose=0)
    np.testing.assert_allclose(loss, 0.5 * 9 * 8 / 4, rtol=1e-5)


@pytest.mark.parametrize("cls,kwargs", [
    ("SpatialDropout1D", {"rate": 0.3}), ("SpatialDropout2D", {"rate": 0.3}),
    ("SpatialDropout3D", {"rate": 0.3, "data_format": "channels_first"}),
    ("GaussianNoise", {"stddev": 0.2}), ("GaussianDropout", {"rate": 0.2}),
    ("ActivityRegularization", {"l1": 0.01, "l2": 0.02}),
])
def test_configs_match_real_keras(cls, kwargs):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    k = pytest.importorskip("keras")
    ours = getattr(layers, cls)(**kwargs).get_config()
    theirs = getattr(k.layers, cls)(**kwargs).get_config()
    assert set(theirs) <= set(ours)  # Keras omits `trainable` for some of these
    for key in set(theirs) - {"name", "dtype"}:
        assert ours[key] == theirs[key], key
    getattr(layers, cls).from_config(theirs)
    getattr(k.layers, cls).from_config(ours)


def test_real_keras_gaussian_dropout_statistics_agree():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    k = pytest.importorskip("keras")
    x = np.ones((300, 300), "float32")
    theirs = np.asarray(k.layers.GaussianDropout(0.3, seed=1)(x, training=True))
    ours = np.asarray(layers.GaussianDropout(0.3, seed=1)(x, training=True))
    assert abs(ours.std() - theirs.std()) < 0.02 and abs(ours.mean() - theirs.mean()) < 0.02
