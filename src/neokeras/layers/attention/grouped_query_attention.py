"""`GroupQueryAttention`: multi-head attention whose key/value heads are shared by groups of
query heads (Ainslie et al., 2023)."""

import math
import numbers

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.attention.multi_head_attention import _LARGE_NEGATIVE
from neokeras.layers.attention.multi_head_attention import _Projection
from neokeras.layers.attention.multi_head_attention import attention_build_config
from neokeras.layers.attention.multi_head_attention import attention_shapes_from_build_config
from neokeras.layers.attention.multi_head_attention import check_scores_without_flash
from neokeras.layers.attention.multi_head_attention import check_sliding_window
from neokeras.layers.attention.multi_head_attention import combined_attention_mask
from neokeras.layers.attention.multi_head_attention import flash_attention_setting
from neokeras.layers.attention.multi_head_attention import fused_attention
from neokeras.layers.attention.multi_head_attention import projection_settings
from neokeras.layers.layer import Layer
from neokeras.layers.layer import _no_stateless_scope
from neokeras.layers.masking.keras_mask import get_keras_mask


# Keras names the class GroupedQueryAttention and exports it as GroupQueryAttention; file paths
# and default layer names come from the class name, so it is kept.
@keras_name("keras.layers.GroupQueryAttention")
class GroupedQueryAttention(Layer):
    """Grouped-query attention.

    `num_query_heads` query heads attend with `num_key_value_heads` key and value heads, each
    shared by `num_query_heads // num_key_value_heads` query heads. With as many key/value heads
    as query heads this is multi-head attention; with one, multi-query attention.

    Args:
        head_dim: Size of each attention head.
        num_query_heads: Number of query heads.
        num_key_value_heads: Number of key and value heads; must divide `num_query_heads`.
        dropout: Dropout rate on the attention weights (training only).
        use_bias: Whether the projections have biases.
        sliding_window: Optional positive int: attend only to positions closer than this.
        flash_attention: True to use the fused flash-attention kernel (an NVIDIA GPU with
            cuDNN; elsewhere the call raises), False never to, None (default) to follow
            `keras.config.is_flash_attention_enabled()` (automatic where supported).
        use_gate: Gate the attention output with a learned sigmoid of the query.
        kernel_initializer, bias_initializer: Initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.
        seed: Int seed for dropout.

    Call arguments:
        query: `(batch, Tq, dim)`; value: `(batch, Tv, dim)`; key: optional, default `value`.
        query_mask, value_mask, key_mask, attention_mask, use_causal_mask: as in
            `MultiHeadAttention`.
        return_attention_scores: Also return the weights `(batch, num_query_heads, Tq, Tv)`.
    """

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for arg, value in (("head_dim", head_dim), ("num_query_heads", num_query_heads),
                           ("num_key_value_heads", num_key_value_heads)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
                raise ValueError(f"GroupQueryAttention({arg}=...) must be a positive int. "
                                 f"Received: {arg}={value!r}")
        if num_query_heads % num_key_value_heads:
            raise ValueError(
                "GroupQueryAttention: num_query_heads must be divisible by num_key_value_heads. "
                f"Received: num_query_heads={num_query_heads}, "
                f"num_key_value_heads={num_key_value_heads}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(
                f"GroupQueryAttention(dropout=...) must be in [0, 1). Received: {dropout!r}")
        self.head_dim = int(head_dim)
        self.num_query_heads = int(num_query_heads)
        self.num_key_value_heads = int(num_key_value_heads)
        self.num_repeats = self.num_query_heads // self.num_key_value_heads
        self.dropout = float(dropout)
        self._flash_attention = flash_attention_setting(
            f"GroupQueryAttention '{self.name}'", flash_attention, self.dropout)
        self.use_bias = bool(use_bias)
        self.use_gate = bool(use_gate)
        self.sliding_window = check_sliding_window(sliding_window, "GroupQueryAttention")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self.seed_generator = None  # made in `build`, in Keras's order
        self.supports_masking = True
        self._build_shapes_all = None

    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError(f"GroupQueryAttention '{self.name}' needs both `query` and `value`.")
        if not self.built:
            with _no_stateless_scope():
                self.build(tuple(query.shape), tuple(value.shape),
                           None if key is None else tuple(key.shape))
            self.built = True
        return super().__call__(query, value, key, **kwargs)

    def build(self, query_shape, value_shape=None, key_shape=None):
        given_key_shape = key_shape
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        for shape in (query_shape, value_shape, key_shape):
            if len(shape) != 3:
                raise ValueError(
                    f"GroupQueryAttention '{self.name}' expects inputs of shape (batch, "
                    f"sequence, features). Received shape {tuple(shape)}")
        self._build_shapes_all = (tuple(query_shape), tuple(value_shape),
                                  None if given_key_shape is None else tuple(given_key_shape))

        def projection(name, dim, heads, activation=None):
            return _Projection("btm,mnh->btnh", (dim, heads, self.head_dim),
                               (heads, self.head_dim) if self.use_bias else None,
                               projection_settings(self), activation=activation, name=name)

        # Creation order is Keras's weight order: query, key, gate, value, output.
        self._query_dense = projection("query", query_shape[-1], self.num_query_heads)
        self._key_dense = projection("key", key_shape[-1], self.num_key_value_heads)
        if self.use_gate:
            self._gate_dense = projection("gate", query_shape[-1], self.num_query_heads,
                                          ops.sigmoid)
        self._value_dense = projection("value", value_shape[-1], self.num_key_value_heads)
        if self.dropout > 0:  # where Keras makes its dropout layer (and draws its seed)
            self.seed_generator = SeedGenerator(self.seed)
        feature_dim = query_shape[-1]
        self._output_dense = _Projection(
            "btnh,nhm->btm", (self.num_query_heads, self.head_dim, feature_dim),
            (feature_dim,) if self.use_bias else None, projection_settings(self),
            name="attention_output")
        for layer in self._tracked_layers:
            layer.build()
        self.built = True

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        check_scores_without_flash(f"GroupQueryAttention '{self.name}'", self._flash_attention,
                                   return_attention_scores)
        key_input = value if key is None else key
        query_mask = get_keras_mask(query) if query_mask is None else query_mask
        value_mask = get_keras_mask(value) if value_mask is None else value_mask
        if key is not None and key_mask is None:
            key_mask = get_keras_mask(key)
        q = self._query_dense(query) * (1.0 / math.sqrt(float(self.head_dim)))
        k = ops.repeat(self._key_dense(key_input), self.num_repeats, axis=2)
        v = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        mask = combined_attention_mask(query, value, query_mask, value_mask, key_mask,
                                       attention_mask, use_causal_mask, self.sliding_window)
        if self._flash_attention:
            attended = fused_attention(q, k, v, mask, self._flash_attention)
            if self.use_gate:
                attended = attended * self._gate_dense(query)
            return self._output_dense(attended)
        scores = ops.einsum("bqnh,bknh->bnqk", q, k)
        if mask is not None:
            mask = ops.expand_dims(mask, 1)  # one mask for every head
            scores = ops.where(mask, scores, _LARGE_NEGATIVE)
        weights = ops.softmax(scores, axis=-1)
        if mask is not None:
            weights = ops.where(mask, weights, 0.0)
        dropped = weights
        if training and self.dropout > 0:
            dropped = random.dropout(weights, self.dropout, seed=self.seed_generator)
        attended = ops.einsum("bnqk,bknh->bqnh", dropped, v)
        if self.use_gate:
            attended = attended * self._gate_dense(query)
        output = self._output_dense(attended)
        if return_attention_scores:
            return output, weights
        return output

    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        return tuple(query_shape)

    def get_build_config(self):
        return attention_build_config(self._build_shapes_all)

    def build_from_config(self, build_config):
        shapes = attention_shapes_from_build_config(build_config)
        if shapes and not self.built:
            self.build(*shapes)

    def get_config(self):
        return {**super().get_config(), "head_dim": self.head_dim,
                "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads, "use_bias": self.use_bias,
                "use_gate": self.use_gate, "sliding_window": self.sliding_window,
                "dropout": self.dropout,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "seed": self.seed}


GroupQueryAttention = GroupedQueryAttention
