"""Attention layers: harness checks, outputs against real Keras 3, masks, causal masking."""

import numpy as np
import pytest

import neokeras
from neokeras import layers
from neokeras.testing import check_layer


def _x(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def _real_keras():
    pytest.importorskip("keras")
    import keras as real

    return real


def _masks():
    query_mask = np.ones((2, 4), bool)
    query_mask[0, 3] = False
    value_mask = np.ones((2, 5), bool)
    value_mask[1, 3:] = False
    return query_mask, value_mask


def test_harness():
    check_layer(layers.Attention, {"use_scale": True}, input_shape=[(2, 4, 3), (2, 5, 3)],
                expected_output_shape=(2, 4, 3), expected_trainable=1)
    check_layer(layers.AdditiveAttention, {}, input_shape=[(2, 4, 3), (2, 5, 3)],
                expected_output_shape=(2, 4, 3), expected_trainable=1, check_training=False)


@pytest.mark.parametrize("cls_name,kwargs", [
    ("Attention", {}),
    ("Attention", {"use_scale": True, "score_mode": "concat"}),
    ("AdditiveAttention", {}),
])
def test_matches_keras_with_masks_and_causal(cls_name, kwargs):
    real = _real_keras()
    query, value, key = _x((2, 4, 3), 0), _x((2, 5, 3), 1), _x((2, 5, 3), 2)
    ours, theirs = getattr(layers, cls_name)(**kwargs), getattr(real.layers, cls_name)(**kwargs)
    ours([query, value, key])
    theirs([query, value, key])
    theirs.set_weights(ours.get_weights())
    call = {"mask": list(_masks()), "return_attention_scores": True, "use_causal_mask": True}
    for a, b in zip(ours([query, value, key], **call), theirs([query, value, key], **call)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


def test_attention_by_hand():
    query, value = _x((1, 2, 3), 0), _x((1, 3, 3), 1)
    output, weights = layers.Attention()([query, value], return_attention_scores=True)
    scores = query[0] @ value[0].T
    expected = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    np.testing.assert_allclose(np.asarray(weights)[0], expected, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(output)[0], expected @ value[0], rtol=1e-5)


def test_mha_weights_layout_matches_keras():
    real = _real_keras()
    ours = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    theirs = real.layers.MultiHeadAttention(num_heads=2, key_dim=3)
    query, value = _x((2, 4, 5)), _x((2, 6, 7))
    ours(query, value)
    theirs(query, value)
    assert [v.shape for v in ours.weights] == [tuple(v.shape) for v in theirs.weights]
    names = [v.path.split("/", 1)[-1] if v.path.count("/") > 1 else v.path for v in ours.weights]
    assert names == ["query/kernel", "query/bias", "key/kernel", "key/bias", "value/kernel",
                     "value/bias", "attention_output/kernel", "attention_output/bias"]
    assert set(ours.get_config()) == set(theirs.get_config())


@pytest.mark.parametrize("call", [
    {},
    {"use_causal_mask": True},
    {"value_mask": "value_mask", "return_attention_scores": True},
    {"attention_mask": "attention_mask", "key": "key"},
])
def test_mha_matches_keras(call):
    real = _real_keras()
    query, value, key = _x((2, 4, 5), 0), _x((2, 5, 7), 1), _x((2, 5, 6), 2)
    attention_mask = np.random.default_rng(3).random((2, 4, 5)) > 0.3
    named = {"value_mask": _masks()[1], "attention_mask": attention_mask, "key": key}
    call = {k: named.get(v, v) if isinstance(v, str) else v for k, v in call.items()}
    # value_dim == key_dim: Keras 3.15 fails on its fused path when they differ.
    kwargs = {"num_heads": 2, "key_dim": 3, "value_dim": 3, "output_shape": 6}
    ours, theirs = layers.MultiHeadAttention(**kwargs), real.layers.MultiHeadAttention(**kwargs)
    ours(query, value, key=call.get("key"))
    theirs(query, value, key=call.get("key"))
    theirs.set_weights([w + 0.1 for w in ours.get_weights()])  # non-zero biases too
    ours.set_weights(theirs.get_weights())
    y_ours, y_theirs = ours(query, value, **call), theirs(query, value, **call)
    if not isinstance(y_ours, tuple):
        y_ours, y_theirs = (y_ours,), (y_theirs,)
    for a, b in zip(y_ours, y_theirs):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)
    assert np.asarray(y_ours[0]).shape == (2, 4, 6)


def test_mha_query_mask_zeroes_the_row_weights_and_passes_on_as_output_mask():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    query, value = _x((2, 4, 3)), _x((2, 5, 3))
    query_mask, value_mask = _masks()
    _, weights = layer(query, value, query_mask=query_mask, value_mask=value_mask,
                       return_attention_scores=True)
    weights = np.asarray(weights)
    assert weights.shape == (2, 2, 4, 5)
    np.testing.assert_array_equal(weights[0, :, 3], 0)
    np.testing.assert_array_equal(weights[1, :, :, 3:], 0)
    np.testing.assert_allclose(weights[1].sum(-1), 1, rtol=1e-6)
    # A mask attached by Embedding(mask_zero=True) is picked up and passed on.
    tokens = np.array([[1, 2, 0, 0]])
    embedded = layers.Embedding(5, 3, mask_zero=True)(tokens)
    from neokeras.layers.masking.keras_mask import get_keras_mask

    out = layer(embedded, embedded)
    np.testing.assert_array_equal(np.asarray(get_keras_mask(out)), tokens != 0)


def test_mha_attention_axes_2d():
    layer = layers.MultiHeadAttention(num_heads=2, key_dim=2, attention_axes=(1, 2))
    x = _x((1, 3, 4, 5))
    out, weights = layer(x, x, return_attention_scores=True)
    assert np.asarray(out).shape == (1, 3, 4, 5)
    assert np.asarray(weights).shape == (1, 2, 3, 4, 3, 4)
    np.testing.assert_allclose(np.asarray(weights).sum(axis=(-2, -1)), 1, rtol=1e-5)


def test_mha_in_functional_model_trains():
    import neokeras as keras

    inputs = keras.Input((4, 3))
    outputs = layers.MultiHeadAttention(num_heads=2, key_dim=2)(inputs, inputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    x = _x((8, 4, 3))
    before = model.evaluate(x, x, verbose=0)
    model.fit(x, x, epochs=5, batch_size=8, verbose=0)
    assert model.evaluate(x, x, verbose=0) < before


def test_bad_arguments():
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="general")
    with pytest.raises(ValueError, match="num_heads"):
        layers.MultiHeadAttention(num_heads=0, key_dim=2)
    with pytest.raises(ValueError, match="query, value"):
        layers.Attention()(_x((2, 3, 3)))


def _cached_style_attention(k):
    """keras-hub's pattern: a subclass projecting itself and calling the private
    `_compute_attention(query, key, value, attention_mask, ...)` of Keras's layer."""

    class Projected(k.layers.MultiHeadAttention):
        def call(self, query, value, key=None, attention_mask=None, training=None):
            attended, scores = self._compute_attention(
                query=self._query_dense(query), key=self._key_dense(value),
                value=self._value_dense(value), attention_mask=attention_mask,
                return_attention_scores=True, training=training)
            return self._output_dense(attended), scores

    return Projected(num_heads=2, key_dim=3)


def test_private_compute_attention_equals_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    q, v = rng.standard_normal((2, 4, 5), "float32"), rng.standard_normal((2, 6, 5), "float32")
    mask = rng.random((2, 4, 6)) > 0.3
    theirs = _cached_style_attention(keras)
    ours = _cached_style_attention(neokeras)
    expected = theirs(q, v, attention_mask=mask)
    ours(q, v, attention_mask=mask)
    ours.set_weights(theirs.get_weights())
    for got, want in zip(ours(q, v, attention_mask=mask), expected):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-6)
