"""Embedding, Masking, and how masks flow through Sequential and functional models."""

import numpy as np
import pytest

import neokeras as keras
from neokeras import layers
from neokeras.layers.masking.keras_mask import get_keras_mask
from neokeras.testing import check_layer


def _tokens():
    return np.array([[3, 1, 4, 0, 0], [2, 0, 0, 0, 0], [1, 5, 9, 2, 6]], "int32")


def test_embedding_harness_and_lookup():
    out = check_layer(layers.Embedding, {"input_dim": 10, "output_dim": 4}, input_shape=(2, 3),
                      input_dtype="int32", expected_output_shape=(2, 3, 4),
                      expected_trainable=1)
    assert out.dtype == np.float32
    layer = layers.Embedding(10, 4)
    tokens = _tokens()
    np.testing.assert_array_equal(np.asarray(layer(tokens)), layer.embeddings.numpy()[tokens])
    assert layer.weights[0].name == "embeddings" and layer.embeddings.shape == (10, 4)


def test_embedding_mask_zero_attaches_mask():
    layer = layers.Embedding(10, 4, mask_zero=True)
    tokens = _tokens()
    out = layer(tokens)
    np.testing.assert_array_equal(np.asarray(get_keras_mask(out)), tokens != 0)
    assert get_keras_mask(layers.Embedding(10, 4)(tokens)) is None
    symbolic = layer(keras.Input((5,), dtype="int32"))
    assert get_keras_mask(symbolic).shape == (None, 5)


def test_embedding_config_matches_keras_and_input_length():
    pytest.importorskip("keras")
    import keras as real

    ours = layers.Embedding(10, 4, mask_zero=True).get_config()
    theirs = real.layers.Embedding(10, 4, mask_zero=True).get_config()
    assert set(theirs) - set(ours) <= {"quantization_config"}
    assert ours["embeddings_initializer"]["class_name"] == "RandomUniform"
    model = keras.Sequential([layers.Embedding(10, 4, input_length=5)])
    assert model.output_shape == (None, 5, 4)


def test_embedding_bad_arguments():
    with pytest.raises(ValueError, match="input_dim"):
        layers.Embedding(0, 4)
    with pytest.raises(ValueError, match="output_dim"):
        layers.Embedding(4, 2.5)


def test_masking_layer_zeroes_and_masks_steps():
    x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype("float32")
    x[0, 2:] = -1.0
    layer = layers.Masking(mask_value=-1.0)
    out = layer(x)
    expected_mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], bool)
    np.testing.assert_array_equal(np.asarray(get_keras_mask(out)), expected_mask)
    np.testing.assert_allclose(np.asarray(out), x * expected_mask[..., None])
    check_layer(layers.Masking, {"mask_value": 0.5}, input_shape=(2, 4, 3),
                expected_output_shape=(2, 4, 3), expected_trainable=0)


def _assert_masked_equals_trimmed(model_fn):
    """A padded batch through the model equals each sequence trimmed to its real length."""
    tokens = _tokens()
    model = model_fn()
    padded = np.asarray(model(tokens))
    for row, length in zip(range(3), (3, 1, 5)):
        np.testing.assert_allclose(padded[row], np.asarray(model(tokens[row:row + 1, :length]))[0],
                                   rtol=1e-5, atol=1e-6)


def test_mask_flows_through_sequential_to_lstm():
    _assert_masked_equals_trimmed(lambda: keras.Sequential([
        layers.Embedding(10, 4, mask_zero=True), layers.Dropout(0.5), layers.LSTM(3),
        layers.Dense(2)]))


def test_mask_flows_through_functional_model_and_bidirectional():
    def make():
        inputs = keras.Input((None,), dtype="int32")
        x = layers.Embedding(10, 4, mask_zero=True)(inputs)
        x = layers.Bidirectional(layers.GRU(3, return_sequences=True))(x)
        outputs = layers.GRU(2)(x)
        return keras.Model(inputs, outputs)

    _assert_masked_equals_trimmed(make)


def test_masking_then_lstm_matches_keras():
    pytest.importorskip("keras")
    import keras as real

    x = np.random.default_rng(0).standard_normal((3, 5, 2)).astype("float32")
    x[0, 3:] = 0.0
    x[1, 1:] = 0.0
    ours = keras.Sequential([keras.Input((5, 2)), layers.Masking(),
                             layers.LSTM(3, return_sequences=True)])
    theirs = real.Sequential([real.Input((5, 2)), real.layers.Masking(),
                              real.layers.LSTM(3, return_sequences=True)])
    theirs.set_weights(ours.get_weights())
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours.predict(x, verbose=0), np.asarray(theirs(x)), rtol=1e-5,
                               atol=1e-6)
