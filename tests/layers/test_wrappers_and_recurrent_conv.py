"""SpectralNormalization, ReversibleEmbedding, ConvLSTM and BatchNormalization(renorm): the
harness and behaviour by hand. Outputs against real Keras 3 are in test_keras_oracle.py."""

import numpy as np
import pytest

import neokeras as nk
from neokeras import layers
from neokeras.testing import check_layer


def test_spectral_normalization_drives_the_top_singular_value_to_one():
    layer = layers.SpectralNormalization(layers.Dense(4), power_iterations=5)
    x = np.random.default_rng(0).standard_normal((3, 6)).astype("float32")
    layer(x)
    for _ in range(5):
        layer(x, training=True)
    sigma = np.linalg.svd(np.asarray(layer.layer.kernel.numpy()), compute_uv=False)[0]
    assert sigma == pytest.approx(1.0, rel=1e-3)
    before = layer.layer.kernel.numpy().copy()
    layer(x)  # inference leaves the kernel alone
    np.testing.assert_array_equal(layer.layer.kernel.numpy(), before)
    with pytest.raises(ValueError, match="neither a `kernel` nor an `embeddings`"):
        layers.SpectralNormalization(layers.ReLU())(x)
    with pytest.raises(ValueError, match=r"power_iterations=...\) must be a positive int"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)


def test_spectral_normalization_harness():
    check_layer(layers.SpectralNormalization, {"layer": layers.Dense(3)}, input_shape=(4, 5),
                expected_output_shape=(4, 3), expected_trainable=2, expected_non_trainable=1,
                check_training=False)
    model = nk.Sequential([nk.Input((5,)), layers.SpectralNormalization(layers.Dense(3))])
    model.compile("sgd", "mse")
    x = np.random.default_rng(1).standard_normal((8, 5)).astype("float32")
    model.fit(x, np.zeros((8, 3), "float32"), epochs=2, verbose=0)
    assert np.all(np.isfinite(model.predict(x, verbose=0)))


def test_reversible_embedding_projects_back_with_the_same_matrix():
    layer = layers.ReversibleEmbedding(10, 4, mask_zero=True)
    ids = np.array([[0, 3, 5]])
    vectors = np.asarray(layer(ids))
    logits = np.asarray(layer(vectors, reverse=True))
    np.testing.assert_allclose(logits, vectors @ layer.embeddings.numpy().T, rtol=1e-6)
    assert logits.shape == (1, 3, 10)
    check_layer(layers.ReversibleEmbedding, dict(input_dim=6, output_dim=3, tie_weights=False),
                input_shape=(2, 4), input_dtype="int32", expected_output_shape=(2, 4, 3),
                expected_trainable=2)


@pytest.mark.parametrize("cls,kwargs,shape,out", [
    (layers.ConvLSTM1D, dict(filters=2, kernel_size=3), (2, 3, 6, 2), (2, 4, 2)),
    (layers.ConvLSTM2D, dict(filters=2, kernel_size=2, padding="same", return_sequences=True),
     (2, 3, 4, 4, 1), (2, 3, 4, 4, 2)),
])
def test_conv_lstm_harness(cls, kwargs, shape, out):
    check_layer(cls, kwargs, input_shape=shape, expected_output_shape=out, expected_trainable=3)


def test_conv_lstm_stateful_carries_feature_maps():
    layer = layers.ConvLSTM2D(2, 3, padding="same", stateful=True)
    model = nk.Sequential([nk.Input((2, 5, 5, 1), batch_size=2), layer])
    x = np.random.default_rng(2).standard_normal((2, 2, 5, 5, 1)).astype("float32")
    first = model.predict(x, verbose=0)
    assert not np.allclose(first, model.predict(x, verbose=0))
    layer.reset_states()
    np.testing.assert_allclose(model.predict(x, verbose=0), first, rtol=1e-5, atol=1e-6)
    assert layer.filters == 2 and layer.kernel_size == (3, 3)


def test_batch_renorm_weights_and_clipping_errors():
    bn = layers.BatchNormalization(renorm=True)
    bn(np.zeros((2, 3), "float32"))
    assert [v.name for v in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance",
                                            "moving_stddev", "renorm_mean", "renorm_stddev"]
    with pytest.raises(ValueError, match="unknown `renorm_clipping` keys"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 2, "x": 1})
    with pytest.raises(ValueError, match="rmax must be >= rmin"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1, "rmin": 2})
