"""RMSNormalization by hand, Identity, Wrapper, layers.serialize/deserialize, Keras 2 aliases."""

import numpy as np
import pytest

import neokeras as nk
from neokeras import layers
from neokeras.layers.masking import keras_mask
from neokeras.testing import check_layer


def test_rms_normalization_by_hand():
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype("float32")
    layer = layers.RMSNormalization(axis=[1, 2], epsilon=1e-3)
    layer(x)
    layer.scale.assign(np.full((3, 4), 2.0, "float32"))
    expected = 2.0 * x / np.sqrt((x ** 2).mean(axis=(1, 2), keepdims=True) + 1e-3)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-5)
    check_layer(layers.RMSNormalization, {}, input_shape=(2, 5), expected_output_shape=(2, 5),
                expected_trainable=1)


def test_identity_keeps_masks_and_structure():
    check_layer(layers.Identity, {}, input_shape=(2, 3), expected_output_shape=(2, 3))
    inputs = nk.Input((3,))
    masked = layers.Embedding(5, 2, mask_zero=True)(inputs)
    out = layers.Identity()(masked)
    assert keras_mask.get_keras_mask(out) is not None


def test_serialize_deserialize_and_keras2_dicts():
    layer = layers.Dense(3, activation="relu", name="d")
    config = layers.serialize(layer)
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3
    clone = layers.deserialize(config)
    assert isinstance(clone, layers.Dense) and clone.get_config() == layer.get_config()
    keras2 = {"class_name": "Convolution2D", "config": {"filters": 2, "kernel_size": [3, 3],
                                                        "name": "c"}}
    assert isinstance(layers.deserialize(keras2), layers.Conv2D)
    with pytest.raises(ValueError, match="does not describe a layer"):
        layers.deserialize("relu")


def test_keras2_class_aliases_are_the_same_classes():
    assert layers.Convolution1D is layers.Conv1D
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.SeparableConvolution2D is layers.SeparableConv2D


def test_wrapper_is_the_base_of_time_distributed():
    assert issubclass(layers.TimeDistributed, layers.Wrapper)
    with pytest.raises(ValueError, match=r"TimeDistributed\(layer=...\) expects a Layer"):
        layers.TimeDistributed("dense")


def test_time_distributed_passes_the_mask_per_timestep():
    class Recorder(layers.Layer):
        def call(self, inputs, mask=None):
            return inputs * nk.ops.cast(mask, inputs.dtype)[:, None]

    x = np.ones((2, 3, 4), "float32")
    mask = np.array([[True, False, True], [False, True, True]])
    out = np.asarray(layers.TimeDistributed(Recorder())(x, mask=mask))
    np.testing.assert_allclose(out[..., 0], mask.astype("float32"))
    with pytest.raises(ValueError, match="mask must start with the"):
        layers.TimeDistributed(Recorder())(x, mask=np.ones((2, 4), bool))
