"""Neural-network ops of `keras.ops.nn` on `jax.Array`: activations, normalizations, losses,
one/multi-hot, attention, CTC, and block rearrangements (depth_to_space, fold/unfold)."""

import jax
import jax.numpy as jnp
import numpy as np

from neokeras.backend.jax.numpy import _t, _to_float

__all__ = [
    "relu", "relu6", "sigmoid", "hard_sigmoid", "softplus", "softsign", "silu", "swish", "gelu",
    "elu", "selu", "celu", "glu", "leaky_relu", "softmax", "log_softmax", "one_hot",
    "multi_hot", "log_sigmoid", "mish", "hard_silu", "hard_swish", "hard_tanh", "hard_shrink",
    "soft_shrink", "tanh_shrink", "threshold", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy", "moments", "batch_normalization", "layer_normalization",
    "rms_normalization", "normalize", "psnr", "polar", "dot_product_attention", "ctc_loss",
    "ctc_decode", "depth_to_space", "space_to_depth", "unfold", "fold",
]


def _epsilon():
    from neokeras import config

    return config.epsilon()


# ----- activations --------------------------------------------------------------------------

def relu(x):
    return jax.nn.relu(_t(x))


def relu6(x):
    return jax.nn.relu6(_t(x))


def sigmoid(x):
    return jax.nn.sigmoid(_t(x))


def log_sigmoid(x):
    return jax.nn.log_sigmoid(_t(x))


def hard_sigmoid(x):
    # Keras's definition: relu6(x + 3) / 6.
    return jax.nn.hard_sigmoid(_t(x))


def hard_silu(x):
    return jax.nn.hard_silu(_t(x))


hard_swish = hard_silu


def softplus(x):
    return jax.nn.softplus(_t(x))


def softsign(x):
    return jax.nn.soft_sign(_t(x))


def silu(x):
    return jax.nn.silu(_t(x))


swish = silu


def gelu(x, approximate=True):
    return jax.nn.gelu(_t(x), approximate=approximate)


def elu(x, alpha=1.0):
    return jax.nn.elu(_t(x), alpha=alpha)


def selu(x):
    return jax.nn.selu(_t(x))


def celu(x, alpha=1.0):
    return jax.nn.celu(_t(x), alpha=alpha)


def glu(x, axis=-1):
    x = _t(x)
    if x.shape[axis] % 2:
        raise ValueError(f"ops.glu: the size of `axis` {axis} must be even. "
                         f"Received: x.shape={x.shape}")
    return jax.nn.glu(x, axis=axis)


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(_t(x), negative_slope=negative_slope)


def mish(x):
    x = _t(x)
    return x * jnp.tanh(jax.nn.softplus(x))


def hard_tanh(x):
    return jax.nn.hard_tanh(_t(x))


def hard_shrink(x, threshold=0.5):
    x = _t(x)
    return jnp.where(jnp.abs(x) > threshold, x, jnp.zeros_like(x))


def soft_shrink(x, threshold=0.5):
    x = _t(x)
    return jnp.where(x > threshold, x - threshold,
                     jnp.where(x < -threshold, x + threshold, jnp.zeros_like(x)))


def tanh_shrink(x):
    x = _t(x)
    return x - jnp.tanh(x)


def threshold(x, threshold, default_value):
    x = _t(x)
    return jnp.where(x > threshold, x, default_value)


def sparse_plus(x):
    return jax.nn.sparse_plus(_t(x))


def sparse_sigmoid(x):
    return jax.nn.sparse_sigmoid(_t(x))


def squareplus(x, b=4):
    return jax.nn.squareplus(_t(x), b=b)


def softmax(x, axis=-1):
    return jax.nn.softmax(_to_float(x), axis=axis)


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_to_float(x), axis=axis)


def sparsemax(x, axis=-1):
    """Euclidean projection onto the simplex: sparse probabilities along `axis`."""
    x = _t(x)
    z = jnp.flip(jnp.sort(x, axis=axis), axis=axis)
    cumulative = jnp.cumsum(z, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = -1
    k = jnp.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape(shape)
    support = z - (cumulative - 1) / k > 0
    count = jnp.sum(support, axis=axis, keepdims=True)
    tau = (jnp.sum(jnp.where(support, cumulative, 0.0), axis=axis, keepdims=True) - 1) / count
    return jnp.maximum(x - tau.astype(x.dtype), 0.0)


# ----- encodings ----------------------------------------------------------------------------

def _no_sparse(sparse, op):
    if sparse:
        raise ValueError(f"ops.{op}: `sparse=True` needs sparse tensors, which the JAX backend "
                         "of neokeras does not support.")


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    from neokeras import config

    _no_sparse(sparse, "one_hot")
    return jax.nn.one_hot(_t(x), num_classes, axis=axis, dtype=dtype or config.floatx())


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    from neokeras import config

    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if kwargs:
        raise TypeError(f"ops.multi_hot got unexpected arguments: {sorted(kwargs)}")
    if num_classes is None:
        raise ValueError("ops.multi_hot: `num_classes` is required.")
    _no_sparse(sparse, "multi_hot")
    x = _t(inputs)
    reduce_axis = 1 if x.ndim > 1 else 0
    encoded = jax.nn.one_hot(x.astype("int32"), num_classes, axis=axis,
                             dtype=dtype or config.floatx())
    return jnp.max(encoded, axis=reduce_axis)


# ----- losses -------------------------------------------------------------------------------

def _same_shape(target, output, op):
    if target.shape != output.shape:
        raise ValueError(f"ops.{op}: `target` and `output` must have the same shape. "
                         f"Received: target.shape={target.shape}, output.shape={output.shape}")


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy; stable for logits, clipped by `epsilon()` otherwise."""
    target, output = _t(target), _t(output)
    _same_shape(target, output, "binary_crossentropy")
    if from_logits:
        return -target * jax.nn.log_sigmoid(output) - (1.0 - target) * jax.nn.log_sigmoid(-output)
    eps = _epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot (or soft) targets and probabilities or logits."""
    target, output = _t(target), _t(output)
    _same_shape(target, output, "categorical_crossentropy")
    if target.ndim < 1:
        raise ValueError("ops.categorical_crossentropy: `target` and `output` must be at "
                         f"least rank 1. Received: target.shape={target.shape}")
    if from_logits:
        return -jnp.sum(target * jax.nn.log_softmax(output, axis=axis), axis=axis)
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    eps = _epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    return -jnp.sum(target * jnp.log(output), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between integer class targets and probabilities or logits."""
    target, output = _t(target).astype("int32"), _t(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    if output.ndim < 1:
        raise ValueError("ops.sparse_categorical_crossentropy: `output` must be at least "
                         f"rank 1. Received: output.shape={output.shape}")
    if target.shape != output.shape[:-1]:
        raise ValueError("ops.sparse_categorical_crossentropy: `target` must have the shape "
                         "of `output` without its last dimension. Received: "
                         f"target.shape={target.shape}, output.shape={output.shape}")
    one_hot_target = jax.nn.one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return categorical_crossentropy(one_hot_target, output, from_logits=from_logits, axis=axis)


def psnr(x1, x2, max_val):
    x1, x2 = _t(x1), _t(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"ops.psnr: input shapes must match. Received: x1.shape={x1.shape}, "
                         f"x2.shape={x2.shape}")
    mse = jnp.mean(jnp.square(x1 - x2))
    return 20 * jnp.log10(jnp.asarray(max_val, x2.dtype)) - 10 * jnp.log10(mse)


# ----- normalization ------------------------------------------------------------------------

def _axes(axes):
    return tuple(axes) if isinstance(axes, (list, tuple)) else axes


def moments(x, axes, keepdims=False, synchronized=False):
    if synchronized:
        raise NotImplementedError("ops.moments(synchronized=True) is not supported with JAX "
                                  "(as in Keras).")
    x = _t(x)
    axes = _axes(axes)
    low = x.dtype in (jnp.float16, jnp.bfloat16)
    compute = x.astype("float32") if low else x
    mean = jnp.mean(compute, axes, keepdims=keepdims)
    variance = jnp.var(compute, axis=axes, keepdims=keepdims)
    if low:
        big = jnp.finfo(jnp.float16).max
        mean = jnp.clip(mean, -big, big).astype(x.dtype)
        variance = jnp.clip(variance, -big, big).astype(x.dtype)
    return mean, variance


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x, mean, variance = _t(x), _t(mean), _t(variance)
    shape = [1] * x.ndim
    shape[axis] = mean.shape[0]
    inv = jax.lax.rsqrt(variance.reshape(shape) + epsilon)
    if scale is not None:
        inv = inv * _t(scale).reshape(shape)
    shift = -mean.reshape(shape) * inv
    if offset is not None:
        shift = shift + _t(offset).reshape(shape)
    return x * inv + shift


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    rms_scaling = kwargs.pop("rms_scaling", False)
    if kwargs:
        raise TypeError(f"ops.layer_normalization got unexpected arguments: {sorted(kwargs)}")
    epsilon = _epsilon() if epsilon is None else epsilon
    x = _t(x)
    original = x.dtype
    x = x.astype(jnp.promote_types(x.dtype, "float32"))
    axes = sorted(a % x.ndim for a in (axis if isinstance(axis, (list, tuple)) else [axis]))
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]

    def broadcast(v):
        if v is None:
            return None
        v = _t(v).astype(x.dtype)
        return v.reshape(shape) if v.ndim != x.ndim and axes != [x.ndim - 1] else v

    gamma, beta = broadcast(gamma), broadcast(beta)
    if rms_scaling:
        out = x * jax.lax.rsqrt(jnp.var(x, axis=tuple(axes), keepdims=True) + epsilon)
        if gamma is not None:
            out = out * gamma
        return out.astype(original)
    mean = jnp.mean(x, axis=tuple(axes), keepdims=True)
    variance = jnp.var(x, axis=tuple(axes), keepdims=True)
    inv = jax.lax.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * gamma
    shift = -mean * inv
    if beta is not None:
        shift = shift + beta
    return (x * inv + shift).astype(original)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    epsilon = _epsilon() if epsilon is None else epsilon
    x = _t(x)
    original = x.dtype
    x = x.astype(jnp.promote_types(x.dtype, "float32"))
    if x.ndim == 0:
        x = x[None]
    out = x * jax.lax.rsqrt(jnp.mean(jnp.square(x), axis=_axes(axis), keepdims=True) + epsilon)
    if scale is not None:
        out = out * _t(scale).astype(x.dtype)
    return out.astype(original)


def normalize(x, axis=-1, order=2, epsilon=None):
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"ops.normalize: `order` must be an int >= 1. Received: order={order!r}")
    epsilon = _epsilon() if epsilon is None else epsilon
    x = _t(x)
    if x.ndim == 0:
        x = x[None]
    if order == 2:
        inv_norm = jax.lax.rsqrt(jnp.sum(jnp.square(x), axis=axis, keepdims=True))
        return x * jnp.minimum(inv_norm, 1.0 / epsilon)
    norm = jnp.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, epsilon)


def polar(abs_, angle):
    abs_, angle = _to_float(abs_), _to_float(angle)
    return jax.lax.complex(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle))


# ----- attention ----------------------------------------------------------------------------

def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention on `(batch, seq, heads, head_dim)` tensors."""
    query, key, value = _t(query), _t(key), _t(value)
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError("ops.dot_product_attention expects 4-D `query`, `key` and `value` "
                         f"(batch, seq, heads, head_dim). Received: query.shape={query.shape}, "
                         f"key.shape={key.shape}, value.shape={value.shape}")
    if query.shape[2] % key.shape[2]:
        raise ValueError("ops.dot_product_attention: the query heads must be a multiple of the "
                         f"key heads. Received: query.shape={query.shape}, key.shape={key.shape}")
    on_gpu = jax.devices()[0].platform == "gpu"
    if flash_attention and not on_gpu:
        # Keras raises what JAX's cuDNN check raises on a machine without an NVIDIA GPU.
        raise RuntimeError("cuDNN is not detected. ops.dot_product_attention("
                           "flash_attention=True) needs an NVIDIA GPU with cuDNN; pass "
                           "flash_attention=None (automatic) or False on this machine.")
    bias = None if bias is None else _t(bias)
    mask = None if mask is None else _t(mask).astype(bool)
    if attn_logits_soft_cap is None:
        def attend(implementation):
            return jax.nn.dot_product_attention(query, key, value, bias=bias, mask=mask,
                                                scale=scale, is_causal=is_causal,
                                                implementation=implementation)

        if flash_attention:
            return attend("cudnn")
        if flash_attention is None and on_gpu:
            # Automatic: the cuDNN flash kernel where it accepts the inputs, else XLA.
            try:
                return attend("cudnn")
            except Exception:  # unsupported dtype, layout or head size
                pass
        return attend("xla")
    return _attention_with_soft_cap(query, key, value, bias, mask, scale, is_causal,
                                    attn_logits_soft_cap)


def _attention_with_soft_cap(query, key, value, bias, mask, scale, is_causal, cap):
    groups = query.shape[2] // key.shape[2]
    key = jnp.repeat(key, groups, axis=2)
    value = jnp.repeat(value, groups, axis=2)
    scale = 1.0 / np.sqrt(query.shape[-1]) if scale is None else scale
    logits_dtype = jnp.promote_types(query.dtype, jnp.float32)
    logits = jnp.einsum("btnh,bsnh->bnts", query, key,
                        preferred_element_type=logits_dtype) * scale
    if bias is not None:
        logits = logits + bias
    logits = cap * jnp.tanh(logits / cap)
    keep = jnp.ones(logits.shape, bool)
    if mask is not None:
        keep = keep & mask
    if is_causal:
        keep = keep & jnp.tril(jnp.ones(logits.shape[-2:], bool))
    logits = jnp.where(keep, logits, -0.7 * jnp.finfo(logits.dtype).max)
    probs = jax.nn.softmax(logits.astype(jnp.float32), axis=-1).astype(value.dtype)
    return jnp.einsum("bnts,bsnh->btnh", probs, value)


# ----- CTC ----------------------------------------------------------------------------------

def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """Connectionist temporal classification loss per sequence (`output` holds logits)."""
    target = _t(target).astype("int32")
    output = _t(output)
    output = output.astype(jnp.promote_types(output.dtype, "float32"))
    target_length = _t(target_length).astype("int32")
    output_length = _t(output_length).astype("int32")
    if output.ndim != 3 or target.ndim != 2 or target.shape[0] != output.shape[0]:
        raise ValueError("ops.ctc_loss expects `target` (batch, max_label_length) and `output` "
                         f"(batch, max_time, num_classes). Received: target.shape={target.shape}, "
                         f"output.shape={output.shape}")
    batch, time, _ = output.shape
    labels = target.shape[1]
    log_probs = jax.nn.log_softmax(output, axis=-1)
    # The extended label sequence: blank, l1, blank, l2, ..., blank (2L + 1 states).
    states = 2 * labels + 1
    extended = jnp.full((batch, states), mask_index, "int32").at[:, 1::2].set(target)
    emit = jnp.take_along_axis(log_probs, jnp.broadcast_to(extended[:, None, :],
                                                          (batch, time, states)), axis=-1)
    neg_inf = jnp.asarray(-1e30, output.dtype)
    # A state may skip the blank before it when its label differs from the label two back.
    can_skip = jnp.concatenate(
        [jnp.zeros((batch, 2), bool), (extended[:, 2:] != extended[:, :-2])
         & (extended[:, 2:] != mask_index)], axis=1)
    alpha = jnp.full((batch, states), neg_inf).at[:, 0].set(emit[:, 0, 0])
    alpha = alpha.at[:, 1].set(jnp.where(labels > 0, emit[:, 0, 1], neg_inf))

    def step(alpha, inputs):
        emit_t, t = inputs
        stay = alpha
        prev = jnp.concatenate([jnp.full((batch, 1), neg_inf), alpha[:, :-1]], axis=1)
        skip = jnp.concatenate([jnp.full((batch, 2), neg_inf), alpha[:, :-2]], axis=1)
        skip = jnp.where(can_skip, skip, neg_inf)
        new = jnp.logaddexp(jnp.logaddexp(stay, prev), skip) + emit_t
        active = (t < output_length)[:, None]
        return jnp.where(active, new, alpha), None

    alpha, _ = jax.lax.scan(step, alpha, (jnp.swapaxes(emit, 0, 1)[1:], jnp.arange(1, time)))
    last = 2 * target_length
    end_blank = jnp.take_along_axis(alpha, last[:, None], axis=1)[:, 0]
    end_label = jnp.take_along_axis(alpha, jnp.maximum(last - 1, 0)[:, None], axis=1)[:, 0]
    end_label = jnp.where(target_length > 0, end_label, neg_inf)
    return -jnp.logaddexp(end_blank, end_label)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    inputs = _t(inputs)
    inputs = inputs.astype(jnp.promote_types(inputs.dtype, "float32"))
    sequence_lengths = _t(sequence_lengths).astype("int32")
    if strategy == "greedy":
        return _ctc_greedy(inputs, sequence_lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _ctc_beam_search(inputs, sequence_lengths, beam_width, top_paths, mask_index)
    raise ValueError("ops.ctc_decode: `strategy` must be 'greedy' or 'beam_search'. "
                     f"Received: strategy={strategy!r}")


def _ctc_greedy(inputs, lengths, merge_repeated, mask_index):
    batch, time, num_classes = inputs.shape
    mask_index = num_classes - 1 if mask_index is None else mask_index
    best = jnp.argmax(inputs, axis=-1)
    scores = jnp.max(inputs, axis=-1)
    beyond = jnp.arange(time)[None, :] >= lengths[:, None]
    best = jnp.where(beyond, mask_index, best)
    scores = jnp.where(beyond, 0.0, scores)
    if merge_repeated:
        repeated = jnp.pad(best[:, 1:] == best[:, :-1], ((0, 0), (1, 0)))
        best = jnp.where(repeated, mask_index, best)
    dropped = best == mask_index
    # Move the kept labels to the front (stable), padding with -1.
    order = jnp.argsort(jnp.where(dropped, time, jnp.arange(time)[None, :]), axis=-1,
                        stable=True)
    decoded = jnp.take_along_axis(jnp.where(dropped, -1, best), order, axis=-1)
    return decoded[None].astype("int32"), -jnp.sum(scores, axis=1)[:, None]


def _ctc_beam_search(inputs, lengths, beam_width, top_paths, mask_index):
    """Prefix beam search over log-probabilities; paths are padded with -1."""
    batch, time, num_classes = inputs.shape
    mask_index = num_classes - 1 if mask_index is None else mask_index
    log_probs = np.asarray(jax.nn.log_softmax(inputs, axis=-1))
    lengths = np.asarray(lengths)
    all_paths = np.full((top_paths, batch, time), -1, np.int32)
    all_scores = np.zeros((batch, top_paths), np.float32)
    for b in range(batch):
        # prefix -> (log p ending in blank, log p ending in a label)
        beams = {(): (0.0, -np.inf)}
        for t in range(int(lengths[b])):
            step = log_probs[b, t]
            grown = {}

            def add(prefix, blank, label):
                old_blank, old_label = grown.get(prefix, (-np.inf, -np.inf))
                grown[prefix] = (np.logaddexp(old_blank, blank), np.logaddexp(old_label, label))

            for prefix, (p_blank, p_label) in beams.items():
                total = np.logaddexp(p_blank, p_label)
                add(prefix, total + step[mask_index], -np.inf)
                for c in range(num_classes):
                    if c == mask_index:
                        continue
                    if prefix and prefix[-1] == c:
                        add(prefix, -np.inf, p_label + step[c])
                        add(prefix + (c,), -np.inf, p_blank + step[c])
                    else:
                        add(prefix + (c,), -np.inf, total + step[c])
            ranked = sorted(grown.items(), key=lambda kv: -np.logaddexp(*kv[1]))
            beams = dict(ranked[:beam_width])
        ranked = sorted(beams.items(), key=lambda kv: -np.logaddexp(*kv[1]))[:top_paths]
        for k, (prefix, probs) in enumerate(ranked):
            all_paths[k, b, :len(prefix)] = prefix
            all_scores[b, k] = np.logaddexp(*probs)
    return jnp.asarray(all_paths), jnp.asarray(all_scores)


# ----- block rearrangements -----------------------------------------------------------------

def _block_check(x, block_size, data_format, op):
    if x.ndim != 4:
        raise ValueError(f"ops.{op} expects a 4-D input. Received: x.shape={x.shape}")
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"ops.{op}: `data_format` must be 'channels_last' or "
                         f"'channels_first'. Received: {data_format!r}")
    if not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ValueError(f"ops.{op}: `block_size` must be a positive int. "
                         f"Received: {block_size!r}")


def depth_to_space(x, block_size, data_format="channels_last"):
    x = _t(x)
    _block_check(x, block_size, data_format, "depth_to_space")
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h * b, w * b, c // (b * b))
    n, c, h, w = x.shape
    x = x.reshape(n, c // (b * b), b, b, h, w).transpose(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (b * b), h * b, w * b)


def space_to_depth(x, block_size, data_format="channels_last"):
    x = _t(x)
    _block_check(x, block_size, data_format, "space_to_depth")
    b = block_size
    if data_format == "channels_last":
        n, h, w, c = x.shape
        x = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
        return x.reshape(n, h // b, w // b, c * b * b)
    n, c, h, w = x.shape
    x = x.reshape(n, c, h // b, b, w // b, b).transpose(0, 1, 3, 5, 2, 4)
    return x.reshape(n, c * b * b, h // b, w // b)


def _pair(value):
    return (value, value) if isinstance(value, (int, np.integer)) else tuple(value)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of an NCHW image: `(N, C*kh*kw, L)` (PyTorch's `unfold`)."""
    x = _t(x)
    if x.ndim != 4:
        raise ValueError(f"ops.unfold expects a 4-D NCHW input. Received: x.shape={x.shape}")
    k, d, p, s = _pair(kernel_size), _pair(dilation), _pair(padding), _pair(stride)
    x = jnp.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    patches = jax.lax.conv_general_dilated_patches(
        x, k, s, "VALID", rhs_dilation=d, dimension_numbers=("NCHW", "OIHW", "NCHW"))
    n, ckk, oh, ow = patches.shape
    return patches.reshape(n, ckk, oh * ow)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums sliding blocks `(N, C*kh*kw, L)` back into an NCHW image (PyTorch's `fold`)."""
    x = _t(x)
    if x.ndim != 3:
        raise ValueError(f"ops.fold expects a 3-D input (N, C*kh*kw, L). "
                         f"Received: x.shape={x.shape}")
    (oh, ow), (kh, kw) = _pair(output_size), _pair(kernel_size)
    (dh, dw), (ph, pw), (sh, sw) = _pair(dilation), _pair(padding), _pair(stride)
    n, ckk, blocks = x.shape
    c = ckk // (kh * kw)
    nh = (oh + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    nw = (ow + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if nh * nw != blocks:
        raise ValueError(f"ops.fold: {blocks} blocks do not tile an output of {output_size} "
                         f"with kernel {kernel_size}, stride {stride}, padding {padding}, "
                         f"dilation {dilation} (expected {nh * nw}).")
    cols = x.reshape(n, c, kh, kw, nh, nw)
    out = jnp.zeros((n, c, oh + 2 * ph, ow + 2 * pw), x.dtype)
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + sh * (nh - 1) + 1, sh)
            cols_ = slice(j * dw, j * dw + sw * (nw - 1) + 1, sw)
            out = out.at[:, :, rows, cols_].add(cols[:, :, i, j])
    return out[:, :, ph:ph + oh, pw:pw + ow]
