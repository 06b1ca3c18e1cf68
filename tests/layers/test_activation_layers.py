"""Activation layers: the harness, hand values, Keras 2 spellings, masks and argument errors.

Outputs against real Keras 3 are in test_keras_oracle.py.
"""

import numpy as np
import pytest

import neokeras as nk
from neokeras import layers
from neokeras.testing import check_layer

X = np.array([[-3.0, -1.0, -0.2, 0.0, 0.4, 1.0, 2.5, 7.0]], "float32")


@pytest.mark.parametrize("cls,kwargs,input_shape,trainable", [
    (layers.ReLU, dict(max_value=6.0), (2, 3), 0),
    (layers.LeakyReLU, {}, (2, 3), 0),
    (layers.PReLU, {}, (2, 3, 4), 1),
    (layers.PReLU, dict(shared_axes=1), (2, 3, 4), 1),
    (layers.ELU, dict(alpha=0.7), (2, 3), 0),
    (layers.Softmax, dict(axis=[1, 2]), (2, 3, 4), 0),
    (layers.ThresholdedReLU, dict(theta=0.5), (2, 3), 0),
])
def test_check_layer(cls, kwargs, input_shape, trainable):
    check_layer(cls, kwargs, input_shape=input_shape, expected_output_shape=input_shape,
                expected_trainable=trainable, expected_non_trainable=0)


@pytest.mark.parametrize("layer,expected", [
    (layers.ReLU(), np.maximum(X, 0)),
    (layers.ReLU(max_value=2.0, negative_slope=0.5, threshold=0.5),
     np.where(X >= 2.0, 2.0, np.where(X > 0.5, X, 0.5 * (X - 0.5)))),
    (layers.LeakyReLU(alpha=0.1), np.where(X > 0, X, 0.1 * X)),
    (layers.ELU(alpha=2.0), np.where(X > 0, X, 2.0 * np.expm1(X))),
    (layers.ThresholdedReLU(), np.where(X > 1.0, X, 0.0)),
    (layers.ThresholdedReLU(theta=0.0), np.maximum(X, 0)),
], ids=["relu", "relu-all", "leaky-alpha", "elu", "thresholded", "thresholded-0"])
def test_hand_values(layer, expected):
    np.testing.assert_allclose(np.asarray(layer(X)), expected, rtol=1e-6, atol=1e-6)


def test_leaky_relu_keras2_alpha_is_saved_as_negative_slope():
    layer = layers.LeakyReLU.from_config({"name": "leaky", "trainable": True, "dtype": "float32",
                                          "alpha": 0.2})
    assert layer.get_config()["negative_slope"] == 0.2
    assert "alpha" not in layer.get_config()


def test_thresholded_relu_keras2_config_round_trips():
    config = {"name": "t", "trainable": True, "dtype": "float32", "theta": 0.25}
    layer = nk.saving.deserialize_keras_object({"class_name": "ThresholdedReLU",
                                                "config": config})
    assert layer.theta == 0.25
    assert layers.ThresholdedReLU.from_config(layer.get_config()).theta == 0.25


def test_numpy_numbers_are_accepted():
    layer = layers.ReLU(max_value=np.float32(6), negative_slope=np.float64(0.1),
                        threshold=np.int64(0))
    assert layer.get_config()["max_value"] == 6.0
    assert type(layer.get_config()["max_value"]) is float
    assert layers.Softmax(axis=np.int64(1)).axis == 1
    assert layers.PReLU(shared_axes=(np.int64(1),)).shared_axes == [1]


def test_prelu_shares_slopes_and_learns_them():
    layer = layers.PReLU(shared_axes=[1, 2], alpha_initializer="ones")
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5)).astype("float32")
    layer(x)
    assert layer.alpha.shape == (1, 1, 5)
    layer.alpha.assign(np.array([[[0.0, 0.1, 0.2, 0.3, 0.4]]], "float32"))
    expected = np.where(x > 0, x, np.array([0.0, 0.1, 0.2, 0.3, 0.4]) * x)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="PReLU .* expects input with dimension 3 of size 5"):
        layer(np.zeros((2, 3, 4, 6), "float32"))


def test_softmax_mask_zeroes_masked_entries_and_matches_keras():
    real = pytest.importorskip("keras")
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype("float32")
    mask = np.array([[[1, 1, 0, 1]], [[0, 0, 0, 0]]], "float32")  # broadcast over axis 1
    ours = np.asarray(layers.Softmax()(x, mask=mask))
    np.testing.assert_allclose(ours[:, :, 2][0], 0.0)
    np.testing.assert_allclose(ours[0].sum(-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(ours[1], 0.0)  # a row masked entirely gives zeros, not NaN
    np.testing.assert_allclose(ours, np.asarray(real.layers.Softmax()(x, mask=mask)), rtol=1e-6)
    with pytest.raises(ValueError, match="Softmax .* mask must be broadcastable"):
        layers.Softmax()(x, mask=np.ones((2, 5), bool))


@pytest.mark.parametrize("cls,kwargs,match", [
    (layers.ReLU, dict(max_value=-1.0), r"ReLU\(max_value=...\) must be a number >= 0 or None"),
    (layers.ReLU, dict(negative_slope=None), r"ReLU\(negative_slope=...\) must be a number >= 0"),
    (layers.ReLU, dict(threshold=-0.5), r"ReLU\(threshold=...\) .* Received: threshold=-0.5"),
    (layers.LeakyReLU, dict(negative_slope=-0.1), r"LeakyReLU\(negative_slope=...\)"),
    (layers.ELU, dict(alpha="big"), r"ELU\(alpha=...\) must be a number"),
    (layers.ThresholdedReLU, dict(theta=-1.0), r"ThresholdedReLU\(theta=...\)"),
])
def test_bad_arguments_fail_early(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)
