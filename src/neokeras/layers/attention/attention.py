"""`Attention`: dot-product (Luong-style) attention over a query and a value sequence."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.layer import Layer

_MASKED_SCORE = 1.0e9


def causal_mask(query_length, key_length):
    """`(1, Tq, Tk)` boolean mask, True where key position <= query position."""
    rows = ops.expand_dims(ops.arange(query_length), -1)
    columns = ops.expand_dims(ops.arange(key_length), 0)
    return ops.expand_dims(ops.greater_equal(rows, columns), 0)


@keras_name("keras.layers.Attention")
class Attention(Layer):
    """Dot-product attention: `softmax(query @ key^T) @ value`.

    Args:
        use_scale: Learn a scalar `scale` multiplying the scores.
        score_mode: `"dot"` (scores `query @ key^T`) or `"concat"`
            (scores `sum(tanh(query + key))`, with a learned scalar weight).
        dropout: Fraction of the attention weights to drop in training.
        seed: Int seed for dropout.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`; shapes `(batch, Tq, dim)`,
            `(batch, Tv, dim)`, and key as value (key defaults to value).
        mask: `[query_mask, value_mask]` booleans `(batch, Tq)` and `(batch, Tv)`.
        return_attention_scores: Also return the attention weights `(batch, Tq, Tv)`.
        use_causal_mask: Stop position `i` attending to positions `j > i`.
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"{type(self).__name__}(score_mode=...) must be 'dot' or 'concat'. "
                f"Received: score_mode={score_mode!r}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(
                f"{type(self).__name__}(dropout=...) must be in [0, 1). Received: {dropout!r}")
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed) if dropout > 0 else None
        self.supports_masking = True

    def _check_inputs(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)) or len(inputs) not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects inputs [query, value] or "
                f"[query, value, key]. Received: {type(inputs).__name__} "
                f"{getattr(inputs, 'shape', '')}")
        if mask is not None and (not isinstance(mask, (list, tuple)) or len(mask) not in (2, 3)):
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects mask [query_mask, value_mask]. "
                f"Received: {mask!r}")

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(), name="scale", initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(shape=(), name="concat_score_weight",
                                                       initializer="ones")

    def _scores(self, query, key):
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            return scores * self.scale if self.scale is not None else scores
        summed = ops.expand_dims(query, -2) + ops.expand_dims(key, -3)
        if self.scale is not None:
            summed = self.scale * summed
        return self.concat_score_weight * ops.sum(ops.tanh(summed), axis=-1)

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._check_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask is not None else None
        value_mask = mask[1] if mask is not None else None
        scores = self._scores(query, key)
        scores_mask = None
        if value_mask is not None:
            scores_mask = ops.expand_dims(ops.cast(value_mask, "bool"), -2)
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1])
            scores_mask = causal if scores_mask is None else ops.logical_and(scores_mask, causal)
        if scores_mask is not None:
            scores = ops.where(scores_mask, scores, scores - _MASKED_SCORE)
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        output = ops.matmul(weights, value)
        if query_mask is not None:
            output = ops.where(ops.expand_dims(ops.cast(query_mask, "bool"), -1), output, 0)
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, previous_mask=None):
        if previous_mask is None or previous_mask[0] is None:
            return None
        return previous_mask[0]

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale,
                "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}
