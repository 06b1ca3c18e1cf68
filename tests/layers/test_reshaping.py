"""Reshaping layers: Permute, RepeatVector, Cropping*, ZeroPadding*, UpSampling*."""

import os

import numpy as np
import pytest

import neokeras as keras
from neokeras import layers
from neokeras.testing import check_layer

RNG = np.random.default_rng(0)


def data(*shape):
    return RNG.standard_normal(shape).astype("float32")


def real_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    return pytest.importorskip("keras")


def test_permute():
    x = data(2, 3, 4, 5)
    out = check_layer(layers.Permute, {"dims": (3, 1, 2)}, input_data=x, input_shape=x.shape,
                      expected_output_shape=(2, 5, 3, 4))
    np.testing.assert_array_equal(out, x.transpose(0, 3, 1, 2))
    assert layers.Permute((2, 1))(keras.Input((7, 9))).shape == (None, 9, 7)
    with pytest.raises(ValueError, match=r"permutation of 1\.\.2"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match="rank 3"):
        layers.Permute((2, 1))(data(2, 3))


def test_repeat_vector():
    x = data(2, 3)
    out = check_layer(layers.RepeatVector, {"n": 4}, input_data=x, input_shape=(2, 3),
                      expected_output_shape=(2, 4, 3))
    np.testing.assert_array_equal(out, np.repeat(x[:, None, :], 4, axis=1))
    with pytest.raises(ValueError, match="positive int"):
        layers.RepeatVector(0)
    with pytest.raises(ValueError, match="rank 2"):
        layers.RepeatVector(2)(data(2, 3, 4))


@pytest.mark.parametrize("cls,kwargs,shape,index", [
    ("Cropping1D", {"cropping": (1, 2)}, (2, 7, 3), np.s_[:, 1:5, :]),
    ("Cropping1D", {"cropping": 2}, (2, 7, 3), np.s_[:, 2:5, :]),
    ("Cropping2D", {"cropping": ((1, 0), (2, 1))}, (2, 5, 6, 3), np.s_[:, 1:5, 2:5, :]),
    ("Cropping2D", {"cropping": (1, 2)}, (2, 5, 6, 3), np.s_[:, 1:4, 2:4, :]),
    ("Cropping2D", {"cropping": 1, "data_format": "channels_first"}, (2, 3, 5, 6),
     np.s_[:, :, 1:4, 1:5]),
    ("Cropping3D", {"cropping": ((1, 1), (0, 2), (1, 0))}, (1, 4, 5, 6, 2),
     np.s_[:, 1:3, 0:3, 1:6, :]),
    ("Cropping3D", {"cropping": 1, "data_format": "channels_first"}, (1, 2, 4, 4, 4),
     np.s_[:, :, 1:3, 1:3, 1:3]),
])
def test_cropping(cls, kwargs, shape, index):
    x = data(*shape)
    expected = x[index]
    out = check_layer(getattr(layers, cls), kwargs, input_data=x, input_shape=shape,
                      expected_output_shape=expected.shape)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("cls,kwargs,shape,pad", [
    ("ZeroPadding1D", {"padding": (1, 2)}, (2, 4, 3), ((0, 0), (1, 2), (0, 0))),
    ("ZeroPadding1D", {}, (2, 4, 3), ((0, 0), (1, 1), (0, 0))),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 1))}, (2, 3, 4, 2),
     ((0, 0), (1, 0), (2, 1), (0, 0))),
    ("ZeroPadding2D", {"padding": 2, "data_format": "channels_first"}, (2, 2, 3, 4),
     ((0, 0), (0, 0), (2, 2), (2, 2))),
    ("ZeroPadding3D", {"padding": (1, 0, 2)}, (1, 2, 3, 4, 2),
     ((0, 0), (1, 1), (0, 0), (2, 2), (0, 0))),
])
def test_zero_padding(cls, kwargs, shape, pad):
    x = data(*shape)
    expected = np.pad(x, pad)
    out = check_layer(getattr(layers, cls), kwargs, input_data=x, input_shape=shape,
                      expected_output_shape=expected.shape)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("cls,kwargs,shape,axes_sizes", [
    ("UpSampling1D", {"size": 3}, (2, 4, 3), {1: 3}),
    ("UpSampling2D", {"size": (2, 3)}, (2, 3, 4, 2), {1: 2, 2: 3}),
    ("UpSampling2D", {"size": 2, "data_format": "channels_first"}, (2, 2, 3, 4), {2: 2, 3: 2}),
    ("UpSampling3D", {"size": (1, 2, 2)}, (1, 2, 3, 2, 2), {2: 2, 3: 2}),
])
def test_up_sampling_nearest(cls, kwargs, shape, axes_sizes):
    x = data(*shape)
    expected = x
    for axis, factor in axes_sizes.items():
        expected = np.repeat(expected, factor, axis=axis)
    out = check_layer(getattr(layers, cls), kwargs, input_data=x, input_shape=shape,
                      expected_output_shape=expected.shape)
    np.testing.assert_array_equal(out, expected)


def test_up_sampling_bilinear_hand_values():
    x = np.array([[0.0, 4.0]], "float32").reshape(1, 1, 2, 1)
    out = np.asarray(layers.UpSampling2D((1, 2), interpolation="bilinear")(x)).ravel()
    # Half-pixel centers: output pixels at input coordinates -0.25, 0.25, 0.75, 1.25.
    np.testing.assert_allclose(out, [0.0, 1.0, 3.0, 4.0])


@pytest.mark.parametrize("cls,kwargs,shape", [
    ("Permute", {"dims": (2, 1)}, (2, 3, 4)),
    ("RepeatVector", {"n": 3}, (2, 5)),
    ("Cropping1D", {"cropping": (1, 2)}, (2, 6, 3)),
    ("Cropping2D", {"cropping": ((1, 0), (0, 2))}, (2, 5, 5, 3)),
    ("Cropping3D", {"cropping": 1}, (1, 4, 4, 4, 2)),
    ("ZeroPadding1D", {"padding": (2, 1)}, (2, 4, 3)),
    ("ZeroPadding2D", {"padding": (1, 2)}, (2, 3, 3, 2)),
    ("ZeroPadding3D", {"padding": 1}, (1, 2, 2, 2, 1)),
    ("UpSampling1D", {"size": 2}, (2, 3, 2)),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, (2, 3, 4, 2)),
    ("UpSampling2D", {"size": 3, "interpolation": "bilinear", "data_format": "channels_first"},
     (1, 2, 3, 5)),
    ("UpSampling3D", {"size": 2}, (1, 2, 2, 2, 1)),
])
def test_matches_real_keras(cls, kwargs, shape):
    k = real_keras()
    x = data(*shape)
    ours = getattr(layers, cls)(**kwargs)
    theirs = getattr(k.layers, cls)(**kwargs)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)
    # Our config loads in Keras and Keras's config loads here.
    ours_config = {k_: v for k_, v in ours.get_config().items() if k_ != "name"}
    their_config = {k_: v for k_, v in theirs.get_config().items() if k_ != "name"}
    assert set(ours_config) == set(their_config)
    np.testing.assert_allclose(np.asarray(getattr(layers, cls).from_config(their_config)(x)),
                               np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(getattr(k.layers, cls).from_config(ours_config)(x)),
                               np.asarray(theirs(x)), rtol=1e-5, atol=1e-5)


def test_argument_errors():
    with pytest.raises(ValueError, match=r"Cropping2D: `cropping` must be"):
        layers.Cropping2D(cropping=(1, 2, 3))
    with pytest.raises(ValueError, match=r"ZeroPadding1D: `padding` must be"):
        layers.ZeroPadding1D(padding=-1)
    with pytest.raises(ValueError, match="data_format"):
        layers.ZeroPadding2D(data_format="channels_middle")
    with pytest.raises(ValueError, match="interpolation"):
        layers.UpSampling2D(interpolation="bicubic")
    with pytest.raises(ValueError, match="size"):
        layers.UpSampling1D(size=0)
    with pytest.raises(ValueError, match=r"removes all of axis 1 \(size 4\)"):
        layers.Cropping1D((2, 2))(data(1, 4, 2))
    with pytest.raises(ValueError, match="rank 4"):
        layers.ZeroPadding2D()(data(2, 3, 4))


def test_in_a_trained_model():
    model = keras.Sequential([
        keras.Input((6, 6, 1)), layers.ZeroPadding2D(1), layers.Cropping2D(1),
        layers.UpSampling2D(2), layers.Permute((3, 1, 2)), layers.Flatten(),
        layers.Dense(4), layers.RepeatVector(2), layers.Flatten(), layers.Dense(1)])
    assert model.output_shape == (None, 1)
    model.compile("adam", "mse")
    x, y = data(16, 6, 6, 1), data(16, 1)
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
