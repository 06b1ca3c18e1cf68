"""`MultiHeadAttention`: scaled dot-product attention over several learned projections."""

import functools
import math
import numbers
import string

from neokeras import config
from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.attention.attention import causal_mask
from neokeras.layers.layer import Layer
from neokeras.layers.layer import _no_stateless_scope
from neokeras.layers.masking.keras_mask import get_keras_mask

_LARGE_NEGATIVE = -1.0e9


def flash_attention_setting(owner, flash_attention, dropout):
    """The layer's flash-attention choice: its argument, else the `keras.config` switch (None
    means automatic). Flash attention has no dropout on the weights, so both are refused."""
    choice = flash_attention or config.is_flash_attention_enabled()
    if choice and dropout > 0.0:
        raise ValueError(f"{owner}: Dropout is not supported when flash attention is enabled. "
                         "Please set dropout to 0.0 to use flash attention.")
    return choice


def check_scores_without_flash(owner, flash_attention, return_attention_scores):
    if flash_attention and return_attention_scores:
        raise ValueError(f"{owner}: Returning attention scores is not supported when flash "
                         "attention is enabled. Please disable flash attention to access "
                         "attention scores.")


def fused_attention(q, k, v, mask, flash_attention):
    """`ops.dot_product_attention` on `(batch, seq, heads, dim)` projections (`q` already
    scaled); `mask` is `(batch, Tq, Tv)` or None."""
    if mask is not None:
        mask = ops.cast(ops.expand_dims(mask, 1), "bool")
    return ops.dot_product_attention(q, k, v, mask=mask, scale=1.0,
                                     flash_attention=flash_attention)


def projection_settings(layer):
    """Initializers, regularizers and constraints of one projection of an attention layer.

    Each projection gets its own copy of the initializers, as in Keras: an unseeded copy draws
    a new seed when made (so query and key kernels differ), in Keras's order.
    """
    def clone(initializer):
        return type(initializer).from_config(initializer.get_config())

    return {kind: {"initializer": clone(getattr(layer, f"{kind}_initializer")),
                   "regularizer": getattr(layer, f"{kind}_regularizer"),
                   "constraint": getattr(layer, f"{kind}_constraint")}
            for kind in ("kernel", "bias")}


def _with_einsum_fans(initializer, input_axes, output_axes):
    """A variance-scaling kernel initializer with the fans of an einsum kernel (as EinsumDense)."""
    if not isinstance(initializer, initializers.VarianceScaling) or (
            initializer.input_axes is not None and initializer.output_axes is not None):
        return initializer
    return type(initializer).from_config({**initializer.get_config(), "seed": initializer.seed,
                                          "input_axes": input_axes, "output_axes": output_axes})


class _Projection(Layer):
    """`einsum(equation, x, kernel) + bias`: the EinsumDense-shaped projections of the layer."""

    def __init__(self, equation, kernel_shape, bias_shape, settings, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.equation = equation
        kernel_letters, output_letters = equation.split(",")[1].split("->")
        settings = {**settings, "kernel": dict(settings["kernel"])}
        settings["kernel"]["initializer"] = _with_einsum_fans(
            settings["kernel"]["initializer"],
            [i for i, c in enumerate(kernel_letters) if c not in output_letters],
            [i for i, c in enumerate(kernel_letters) if c in output_letters])
        self.activation = activation
        self.kernel_shape = tuple(kernel_shape)
        self.bias_shape = None if bias_shape is None else tuple(bias_shape)
        self.settings = settings  # initializers, regularizers and constraints by weight kind

    def build(self, input_shape=None):
        self.kernel = self.add_weight(shape=self.kernel_shape, name="kernel",
                                      **self.settings["kernel"])
        self.bias = None
        if self.bias_shape is not None:
            self.bias = self.add_weight(shape=self.bias_shape, name="bias",
                                        **self.settings["bias"])
        self.built = True

    def call(self, inputs):
        x = ops.einsum(self.equation, inputs, self.kernel)
        x = x + self.bias if self.bias is not None else x
        return self.activation(x) if self.activation is not None else x


def combined_attention_mask(query, value, query_mask=None, value_mask=None, key_mask=None,
                   attention_mask=None, use_causal_mask=False, sliding_window=None):
    """The boolean `(batch, Tq, Tv)` mask (or broadcastable) combining every mask given, or None.

    Padding masks `(batch, T)` of query, value and key, an explicit `attention_mask`, the causal
    mask, and a symmetric band `|i - j| < sliding_window` are ANDed together.
    """
    mask = None

    def combine(mask, other):
        return other if mask is None else ops.logical_and(mask, other)

    if query_mask is not None:
        mask = ops.expand_dims(ops.cast(query_mask, "bool"), -1)
    for other in (value_mask, key_mask):
        if other is not None:
            mask = combine(mask, ops.expand_dims(ops.cast(other, "bool"), -2))
    if use_causal_mask:
        mask = combine(mask, causal_mask(query.shape[1], value.shape[1]))
    if sliding_window is not None:
        rows = ops.expand_dims(ops.arange(query.shape[1]), -1)
        columns = ops.expand_dims(ops.arange(value.shape[1]), 0)
        mask = combine(mask, ops.expand_dims(ops.abs(rows - columns) < sliding_window, 0))
    if attention_mask is not None:
        mask = combine(mask, ops.cast(attention_mask, "bool"))
    return mask


def attention_build_config(shapes):
    """Keras 3's build config of attention layers: `{"shapes_dict": {"query_shape": ...}}`."""
    if shapes is None:
        return None
    names = ("query_shape", "value_shape", "key_shape")
    return {"shapes_dict": {n: list(s) for n, s in zip(names, shapes) if s is not None}}


def attention_shapes_from_build_config(build_config):
    """`(query_shape, value_shape, key_shape)` from a build config (Keras 3's `shapes_dict`
    form or the flat form), or None."""
    if not build_config:
        return None
    shapes = build_config.get("shapes_dict", build_config)
    if shapes.get("query_shape") is None:
        return None
    return tuple(None if shapes.get(n) is None else tuple(shapes[n])
                 for n in ("query_shape", "value_shape", "key_shape"))


def check_sliding_window(sliding_window, owner):
    if sliding_window is None:
        return None
    if isinstance(sliding_window, bool) or not isinstance(sliding_window, numbers.Integral) \
            or sliding_window <= 0:
        raise ValueError(f"{owner}(sliding_window=...) must be None or a positive int. "
                         f"Received: sliding_window={sliding_window!r}")
    return int(sliding_window)


@keras_name("keras.layers.MultiHeadAttention")
class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017).

    Query, key and value are projected to `num_heads` heads (kernels of shape
    `(dim, num_heads, key_dim)`), attention `softmax(q k^T / sqrt(key_dim)) v` runs per head over
    `attention_axes`, and the heads are projected back (kernel `(num_heads, value_dim, out)`).

    Args:
        num_heads: Number of attention heads.
        key_dim: Size of each head for query and key.
        value_dim: Size of each head for value (default `key_dim`).
        dropout: Dropout rate on the attention weights (training only).
        use_bias: Whether the projections have biases.
        output_shape: Size (or shape) of the output's last dimension(s); default: the query's
            last dimension.
        attention_axes: Axes attention runs over (default: all but batch, heads and features).
        kernel_initializer, bias_initializer: Initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.
        seed: Int seed for dropout.
        use_gate: Multiply the attention output by a learned sigmoid gate of the query (one
            more projection, `gate`) before the output projection.
        sliding_window: Optional positive int: position `i` attends only to positions `j`
            with `|i - j| < sliding_window` (with `use_causal_mask`, the causal band).
        flash_attention: True to use the fused flash-attention kernel (an NVIDIA GPU with
            cuDNN; elsewhere the call raises), False never to, None (default) to follow
            `keras.config.is_flash_attention_enabled()` (automatic where supported).

    Call arguments:
        query: `(batch, Tq, dim)`; value: `(batch, Tv, dim)`; key: optional, default `value`.
        query_mask, value_mask, key_mask: Optional boolean padding masks `(batch, T)`; masks
            attached to the inputs (e.g. by `Embedding(mask_zero=True)`) are used otherwise.
        attention_mask: Boolean `(batch, Tq, Tv)`, True where attention is allowed.
        return_attention_scores: Also return the weights `(batch, num_heads, Tq, Tv)`.
        use_causal_mask: Stop position `i` attending to positions `j > i`.
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 seed=None, use_gate=False, sliding_window=None, flash_attention=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for arg, value in (("num_heads", num_heads), ("key_dim", key_dim)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
                raise ValueError(
                    f"MultiHeadAttention({arg}=...) must be a positive int. "
                    f"Received: {arg}={value!r}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(
                f"MultiHeadAttention(dropout=...) must be in [0, 1). Received: {dropout!r}")
        self.use_gate = bool(use_gate)
        self.sliding_window = check_sliding_window(sliding_window, "MultiHeadAttention")
        self.num_heads = int(num_heads)
        self.key_dim = int(key_dim)
        self.value_dim = int(value_dim) if value_dim is not None else self.key_dim
        self.dropout = float(dropout)
        self._flash_attention = flash_attention_setting(
            f"MultiHeadAttention '{self.name}'", flash_attention, self.dropout)
        self.use_bias = bool(use_bias)
        if isinstance(output_shape, numbers.Integral):
            output_shape = (output_shape,)
        self._output_shape = None if output_shape is None else tuple(output_shape)
        if isinstance(attention_axes, numbers.Integral):
            attention_axes = (attention_axes,)
        self.attention_axes = None if attention_axes is None else tuple(attention_axes)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self.seed_generator = None  # made in `build`, where Keras makes its dropout layer
        self.supports_masking = True
        self._build_shapes_all = None

    # The three inputs' shapes are all needed to build, so building happens here rather than
    # from the first input alone.
    def __call__(self, query, value=None, *args, **kwargs):
        if value is None:
            raise ValueError(f"MultiHeadAttention '{self.name}' needs both `query` and `value`.")
        key = args[0] if args else kwargs.get("key")
        if not self.built:
            with _no_stateless_scope():
                self.build(tuple(query.shape), tuple(value.shape),
                           None if key is None else tuple(key.shape))
            self.built = True
        # Passed on as given, so a graph records the call as Keras does.
        return super().__call__(query, value, *args, **kwargs)

    def build(self, query_shape, value_shape=None, key_shape=None):
        given_key_shape = key_shape
        value_shape = query_shape if value_shape is None else tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        rank = len(query_shape)
        if rank < 3:
            raise ValueError(
                f"MultiHeadAttention '{self.name}' expects inputs of rank >= 3 "
                f"(batch, ..., features). Received query shape {tuple(query_shape)}")
        self._build_shapes_all = (tuple(query_shape), tuple(value_shape),
                                  None if given_key_shape is None else tuple(given_key_shape))
        axes = self.attention_axes or tuple(range(1, rank - 1))
        self._attention_axes = tuple(a % (rank + 1) if a < 0 else a for a in axes)
        letters = string.ascii_lowercase
        x, feature = letters[:rank - 1], letters[rank - 1]
        heads, depth = letters[rank], letters[rank + 1]
        settings = functools.partial(projection_settings, self)

        def projection(name, dim, size, activation=None):
            return _Projection(f"{x}{feature},{feature}{heads}{depth}->{x}{heads}{depth}",
                               (dim, self.num_heads, size),
                               (self.num_heads, size) if self.use_bias else None, settings(),
                               activation=activation, name=name)

        self._query_dense = projection("query", query_shape[-1], self.key_dim)
        self._key_dense = projection("key", key_shape[-1], self.key_dim)
        if self.use_gate:  # created between key and value, the order of Keras's weights
            self._gate_dense = projection("gate", query_shape[-1], self.value_dim, ops.sigmoid)
        self._value_dense = projection("value", value_shape[-1], self.value_dim)
        if self.dropout > 0:
            self.seed_generator = SeedGenerator(self.seed)
        out_shape = self._output_shape or (query_shape[-1],)
        out_letters = letters[rank + 2:rank + 2 + len(out_shape)]
        self._output_dense = _Projection(
            f"{x}{heads}{depth},{heads}{depth}{out_letters}->{x}{out_letters}",
            (self.num_heads, self.value_dim) + out_shape,
            out_shape if self.use_bias else None, settings(), name="attention_output")
        for layer in self._tracked_layers:
            layer.build()
        self._set_attention_equations(rank + 1)
        self.built = True

    # Public names of the projections, as in Keras (files store them under these names).
    @property
    def query_dense(self):
        return self._query_dense

    @property
    def key_dense(self):
        return self._key_dense

    @property
    def value_dense(self):
        return self._value_dense

    @property
    def output_dense(self):
        return self._output_dense

    def _set_attention_equations(self, projected_rank):
        """einsum strings for scores and outputs over the projected `(batch, ..., heads, d)`."""
        letters = string.ascii_lowercase
        query = letters[:projected_rank]
        key = "".join(letters[projected_rank + i] if i in self._attention_axes else query[i]
                      for i in range(projected_rank))
        batch = [i for i in range(projected_rank - 1) if i not in self._attention_axes]
        scores = ("".join(query[i] for i in batch)
                  + "".join(query[i] for i in self._attention_axes)
                  + "".join(key[i] for i in self._attention_axes))
        self._scores_equation = f"{key},{query}->{scores}"
        self._output_equation = f"{scores},{key}->{query}"

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        check_scores_without_flash(f"MultiHeadAttention '{self.name}'", self._flash_attention,
                                   return_attention_scores)
        key_input = value if key is None else key
        query_mask = get_keras_mask(query) if query_mask is None else query_mask
        value_mask = get_keras_mask(value) if value_mask is None else value_mask
        if key is not None and key_mask is None:
            key_mask = get_keras_mask(key)
        q = self._query_dense(query)
        k = self._key_dense(key_input)
        v = self._value_dense(value)
        mask = combined_attention_mask(query, value, query_mask, value_mask, key_mask, attention_mask,
                               use_causal_mask, self.sliding_window)
        attended, weights = self._compute_attention(
            q, k, v, attention_mask=mask, training=training,
            return_attention_scores=return_attention_scores)
        output = self._finish(query, attended)
        if return_attention_scores:
            return output, weights
        return output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False):
        """Attention over projected `(batch, ..., heads, dim)` tensors: `(attended, weights)`,
        weights None on the fused path. Keras's private method of the same name and
        arguments, which subclasses (keras-hub's cached attention) call."""
        query = query * (1.0 / math.sqrt(float(self.key_dim)))
        if self._flash_attention and len(query.shape) == 4 and not return_attention_scores:
            # Explicit flash attention takes the fused kernel (Keras does this for one
            # attention axis); other choices compute the weights here.
            return fused_attention(query, key, value, attention_mask, self._flash_attention), None
        scores = ops.einsum(self._scores_equation, key, query)
        mask = attention_mask
        if mask is not None:
            n_attention = len(self._attention_axes)
            while len(mask.shape) < len(scores.shape):
                mask = ops.expand_dims(mask, -2 * n_attention - 1)
            scores = ops.where(mask, scores, _LARGE_NEGATIVE)
        weights = self._softmax(scores)
        if mask is not None:
            weights = ops.where(mask, weights, 0.0)
        dropped = weights
        if training and self.dropout > 0:
            dropped = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.einsum(self._output_equation, dropped, value), weights

    def _finish(self, query, attended):
        if self.use_gate:
            attended = attended * self._gate_dense(query)
        return self._output_dense(attended)

    def _softmax(self, scores):
        axes = tuple(range(-len(self._attention_axes), 0))
        if len(axes) == 1:
            return ops.softmax(scores, axis=-1)
        return ops.exp(scores - ops.logsumexp(scores, axis=axes, keepdims=True))

    def get_build_config(self):
        return attention_build_config(self._build_shapes_all)

    def build_from_config(self, build_config):
        shapes = attention_shapes_from_build_config(build_config)
        if shapes and not self.built:
            self.build(*shapes)

    def _configured_attention_axes(self):
        """The axes as Keras writes them: once built, resolved (default filled in, negative
        axes counted from the query's rank)."""
        axes = self.attention_axes
        if self._build_shapes_all is not None:
            rank = len(self._build_shapes_all[0])
            axes = tuple(range(1, rank - 1)) if axes is None else \
                tuple(a if a >= 0 else rank + a for a in axes)
        return None if axes is None else list(axes)

    def get_config(self):
        return {**super().get_config(), "num_heads": self.num_heads, "key_dim": self.key_dim,
                "value_dim": self.value_dim, "dropout": self.dropout, "use_bias": self.use_bias,
                "use_gate": self.use_gate,
                "output_shape": None if self._output_shape is None else list(self._output_shape),
                "attention_axes": self._configured_attention_axes(),
                "sliding_window": self.sliding_window,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "seed": self.seed}
