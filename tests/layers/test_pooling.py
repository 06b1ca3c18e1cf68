"""Pooling layers: numpy references, the layer harness, and real Keras 3."""

import numpy as np
import pytest

import neokeras
from neokeras import layers
from neokeras.testing import check_layer

RNG = np.random.default_rng(7)


def _randn(*shape):
    return RNG.standard_normal(shape).astype("float32")


@pytest.mark.parametrize("cls,kwargs,input_shape,output_shape", [
    (layers.MaxPooling1D, {}, (2, 7, 3), (2, 3, 3)),
    (layers.MaxPooling2D, dict(pool_size=3, strides=2, padding="same"), (2, 5, 6, 3),
     (2, 3, 3, 3)),
    (layers.MaxPooling3D, dict(data_format="channels_first"), (1, 2, 4, 4, 5), (1, 2, 2, 2, 2)),
    (layers.AveragePooling1D, dict(pool_size=3, strides=1, padding="same"), (2, 5, 2),
     (2, 5, 2)),
    (layers.AveragePooling2D, dict(pool_size=(2, 3)), (2, 4, 6, 3), (2, 2, 2, 3)),
    (layers.AveragePooling3D, dict(pool_size=2), (1, 4, 4, 4, 2), (1, 2, 2, 2, 2)),
    (layers.GlobalMaxPooling1D, {}, (2, 5, 3), (2, 3)),
    (layers.GlobalMaxPooling2D, dict(keepdims=True), (2, 4, 5, 3), (2, 1, 1, 3)),
    (layers.GlobalMaxPooling3D, dict(data_format="channels_first"), (2, 3, 2, 2, 2), (2, 3)),
    (layers.GlobalAveragePooling1D, dict(data_format="channels_first", keepdims=True),
     (2, 3, 5), (2, 3, 1)),
    (layers.GlobalAveragePooling2D, {}, (2, 4, 5, 3), (2, 3)),
    (layers.GlobalAveragePooling3D, {}, (1, 2, 3, 2, 4), (1, 4)),
])
def test_check_layer(cls, kwargs, input_shape, output_shape):
    check_layer(cls, kwargs, input_shape=input_shape, expected_output_shape=output_shape,
                expected_trainable=0, expected_non_trainable=0)


def test_max_and_average_pooling_2d_match_numpy():
    x = _randn(2, 4, 6, 3)
    windows = x.reshape(2, 2, 2, 3, 2, 3)
    np.testing.assert_allclose(np.asarray(layers.MaxPooling2D()(x)), windows.max(axis=(2, 4)))
    np.testing.assert_allclose(np.asarray(layers.AveragePooling2D(2)(x)),
                               windows.mean(axis=(2, 4)), rtol=1e-6)
    # Strided, overlapping windows along one axis.
    y = np.asarray(layers.MaxPooling1D(pool_size=3, strides=1)(x[:, 0]))
    expected = np.stack([x[:, 0, i:i + 3].max(axis=1) for i in range(4)], axis=1)
    np.testing.assert_allclose(y, expected)


def test_same_max_pooling_never_picks_the_padding():
    x = -np.ones((1, 3, 3, 1), "float32") - np.arange(9, dtype="float32").reshape(1, 3, 3, 1)
    y = np.asarray(layers.MaxPooling2D(pool_size=2, padding="same")(x))
    assert y.shape == (1, 2, 2, 1)
    np.testing.assert_allclose(y[0, :, :, 0], [[-1, -3], [-7, -9]])


def test_global_pooling_reduce_all_spatial_axes():
    x = _randn(2, 3, 4, 5)
    np.testing.assert_allclose(np.asarray(layers.GlobalAveragePooling2D()(x)),
                               x.mean(axis=(1, 2)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        np.asarray(layers.GlobalMaxPooling2D(data_format="channels_first")(x)),
        x.max(axis=(2, 3)))


def test_global_average_pooling_1d_mask_averages_unmasked_steps():
    x = _randn(2, 4, 3)
    mask = np.array([[True, False, True, False], [True, True, True, True]])
    y = np.asarray(layers.GlobalAveragePooling1D()(x, mask=mask))
    np.testing.assert_allclose(y[0], x[0, [0, 2]].mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(y[1], x[1].mean(axis=0), rtol=1e-5)


def test_keras2_aliases_and_config():
    assert layers.MaxPool2D is layers.MaxPooling2D
    assert layers.AvgPool1D is layers.AveragePooling1D
    assert layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D
    from neokeras.saving.serialization import deserialize_keras_object

    clone = deserialize_keras_object({"module": "keras.layers", "class_name": "MaxPool2D",
                                      "config": {"pool_size": [3, 3], "strides": None}})
    assert isinstance(clone, layers.MaxPooling2D) and clone.strides == (3, 3)
    config = layers.AveragePooling2D(2, strides=1, padding="Same").get_config()
    assert (config["pool_size"], config["strides"], config["padding"]) == ((2, 2), (1, 1),
                                                                           "same")


def test_bad_arguments_are_reported():
    with pytest.raises(ValueError, match=r"MaxPooling2D: `pool_size`.*\(2, 2, 2\)"):
        layers.MaxPooling2D(pool_size=(2, 2, 2))
    with pytest.raises(ValueError, match=r"AveragePooling1D: `padding`.*'causal'"):
        layers.AveragePooling1D(2, padding="causal")
    with pytest.raises(ValueError, match="data_format"):
        layers.GlobalMaxPooling2D(data_format="nhwc")
    with pytest.raises(TypeError):
        layers.AveragePooling2D()
    with pytest.raises(ValueError, match="rank 4"):
        layers.MaxPooling2D()(np.zeros((2, 4, 4), "float32"))


def test_symbolic_shapes_in_a_model():
    inputs = neokeras.Input((9, 8, 2))
    x = layers.MaxPooling2D(pool_size=(2, 3), padding="same")(inputs)
    assert tuple(x.shape) == (None, 5, 3, 2)
    assert tuple(layers.GlobalAveragePooling2D(keepdims=True)(x).shape) == (None, 1, 1, 2)


KERAS_CASES = [
    ("MaxPooling1D", dict(pool_size=3, strides=2, padding="same"), (2, 8, 3)),
    ("MaxPooling2D", dict(pool_size=(3, 2), strides=(1, 2)), (2, 6, 7, 3)),
    ("MaxPooling2D", dict(padding="same", data_format="channels_first"), (2, 3, 5, 5)),
    ("MaxPooling3D", dict(pool_size=2, strides=1, padding="same"), (1, 3, 4, 3, 2)),
    ("AveragePooling1D", dict(pool_size=4, strides=3, padding="same"), (2, 9, 3)),
    ("AveragePooling2D", dict(pool_size=3, strides=2, padding="same"), (2, 7, 6, 3)),
    ("AveragePooling2D", dict(pool_size=(2, 3), data_format="channels_first"), (2, 3, 6, 7)),
    ("AveragePooling3D", dict(pool_size=(2, 2, 3), padding="same"), (1, 3, 4, 5, 2)),
    ("GlobalAveragePooling1D", dict(keepdims=True), (2, 6, 3)),
    ("GlobalMaxPooling3D", dict(data_format="channels_first", keepdims=True), (2, 3, 2, 3, 4)),
]


@pytest.mark.parametrize("name,kwargs,input_shape", KERAS_CASES)
def test_matches_keras(name, kwargs, input_shape):
    keras = pytest.importorskip("keras")
    x = _randn(*input_shape)
    ours, theirs = getattr(layers, name)(**kwargs), getattr(keras.layers, name)(**kwargs)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-5,
                               atol=1e-6)
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    for key in set(theirs_config) - {"name", "dtype"}:
        assert ours_config[key] == theirs_config[key], key


def test_masked_global_average_matches_keras():
    keras = pytest.importorskip("keras")
    x = _randn(2, 5, 3)
    mask = np.array([[1, 1, 0, 0, 1], [1, 0, 0, 0, 0]], bool)
    np.testing.assert_allclose(np.asarray(layers.GlobalAveragePooling1D()(x, mask=mask)),
                               np.asarray(keras.layers.GlobalAveragePooling1D()(x, mask=mask)),
                               rtol=1e-5)


def test_pooling_layers_train_inside_the_compiled_step():
    # Pooling must be differentiable under jit (a traced init value breaks max_pool's gradient).
    model = neokeras.Sequential([neokeras.Input((6, 6, 2)), layers.Conv2D(3, 3, padding="same"),
                                 layers.MaxPooling2D(), layers.AveragePooling2D(2, 1, "same"),
                                 layers.GlobalMaxPooling2D(), layers.Dense(1)])
    model.compile(optimizer=neokeras.optimizers.SGD(0.05), loss="mse")
    x, y = _randn(8, 6, 6, 2), _randn(8, 1)
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, batch_size=8, epochs=5, verbose=0)
    assert model.evaluate(x, y, verbose=0) < before
