"""GroupQueryAttention and the MultiHeadAttention options use_gate and sliding_window.

Outputs against real Keras 3 (gate, sliding window, causal) are in test_keras_oracle.py.
"""

import numpy as np
import pytest

from neokeras import layers
from neokeras.testing import check_layer


def _x(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


def test_gqa_harness_and_weight_shapes():
    check_layer(layers.GroupQueryAttention, dict(head_dim=2, num_query_heads=4,
                                                 num_key_value_heads=2),
                input_shape=[(2, 3, 5), (2, 4, 5)], expected_output_shape=(2, 3, 5),
                expected_trainable=8, positional_inputs=True)
    gqa = layers.GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=1,
                                     use_gate=True)
    gqa(_x((1, 3, 5)), _x((1, 3, 5)))
    assert [tuple(w.shape) for w in gqa.weights] == [
        (5, 4, 2), (4, 2), (5, 1, 2), (1, 2), (5, 4, 2), (4, 2), (5, 1, 2), (1, 2), (4, 2, 5),
        (5,)]


def test_gqa_with_as_many_kv_heads_is_multi_head_attention():
    query, value = _x((2, 3, 4), 1), _x((2, 5, 4), 2)
    gqa = layers.GroupQueryAttention(head_dim=3, num_query_heads=2, num_key_value_heads=2)
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    gqa(query, value)
    mha(query, value)
    mha.set_weights(gqa.get_weights())
    np.testing.assert_allclose(np.asarray(gqa(query, value)), np.asarray(mha(query, value)),
                               rtol=1e-5, atol=1e-6)


def test_sliding_window_limits_attention_to_a_band():
    x = _x((1, 6, 4))
    mha = layers.MultiHeadAttention(num_heads=1, key_dim=2, sliding_window=2)
    _, scores = mha(x, x, return_attention_scores=True, use_causal_mask=True)
    scores = np.asarray(scores)[0, 0]
    allowed = np.array([[0 <= i - j < 2 for j in range(6)] for i in range(6)])
    assert np.all(scores[~allowed] == 0) and np.all(scores[allowed] > 0)
    np.testing.assert_allclose(scores.sum(-1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("kwargs,match", [
    (dict(head_dim=2, num_query_heads=3, num_key_value_heads=2), "must be divisible"),
    (dict(head_dim=0, num_query_heads=2, num_key_value_heads=1), r"head_dim=...\) must be a"),
    (dict(head_dim=2, num_query_heads=2, num_key_value_heads=1, sliding_window=0),
     r"sliding_window=...\) must be None or a positive int"),
])
def test_gqa_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.GroupQueryAttention(**kwargs)
