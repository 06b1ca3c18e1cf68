"""tf-keras `layers.experimental`: RandomFourierFeatures, SyncBatchNormalization, EinsumDense."""

import numpy as np
import pytest

import neokeras as nk
from neokeras.layers import experimental
from neokeras.testing import check_layer


def test_random_fourier_features_approximate_the_gaussian_kernel():
    layer = experimental.RandomFourierFeatures(4000, scale=1.5)
    x = np.random.default_rng(0).standard_normal((5, 3)).astype("float32") * 0.7
    z = np.asarray(layer(x)) * np.sqrt(2.0 / 4000)
    distances = ((x[:, None] - x[None]) ** 2).sum(-1)
    np.testing.assert_allclose(z @ z.T, np.exp(-distances / (2 * 1.5 ** 2)), atol=0.05)
    # Trainable variables first, as tf-keras orders a frozen layer's weights.
    assert [v.name for v in layer.weights] == ["kernel_scale", "unscaled_kernel", "bias"]
    assert not layer.trainable_weights  # trainable=False by default, as in tf-keras


def test_random_fourier_features_config_and_laplacian():
    layer = experimental.RandomFourierFeatures(8, kernel_initializer="laplacian")
    out = np.asarray(layer(np.ones((2, 4), "float32")))
    assert out.shape == (2, 8) and np.all(np.abs(out) <= 1.0)
    assert layer.scale == 1.0
    config = layer.get_config()
    assert config["kernel_initializer"] == "laplacian" and config["trainable"] is False
    check_layer(experimental.RandomFourierFeatures, dict(output_dim=6, trainable=True),
                input_shape=(4, 3), expected_output_shape=(4, 6), expected_trainable=1,
                expected_non_trainable=2)
    with pytest.raises(ValueError, match="unsupported kernel_initializer 'cosine'"):
        experimental.RandomFourierFeatures(4, kernel_initializer="cosine")


def test_sync_batch_normalization_is_batch_normalization_over_the_global_batch():
    x = np.random.default_rng(1).standard_normal((8, 3)).astype("float32")
    sync = experimental.SyncBatchNormalization(momentum=0.5)
    plain = nk.layers.BatchNormalization(momentum=0.5)
    np.testing.assert_allclose(np.asarray(sync(x, training=True)),
                               np.asarray(plain(x, training=True)), rtol=1e-6)
    assert sync.get_config()["synchronized"] is True
    clone = nk.layers.deserialize(nk.layers.serialize(sync))
    assert isinstance(clone, experimental.SyncBatchNormalization)
