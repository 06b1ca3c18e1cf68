"""Keras 2 `K` neural-network functions: convolutions, pooling, padding, resizing, losses, CTC,
normalization and the generic `K.rnn` loop, with tf-keras 2's signatures and semantics."""

import numpy as np

from neokeras import config
from neokeras import ops

__all__ = [
    "bias_add", "conv1d", "conv2d", "conv2d_transpose", "conv3d", "depthwise_conv2d",
    "separable_conv2d", "pool2d", "pool3d", "local_conv1d", "local_conv2d", "temporal_padding",
    "spatial_2d_padding", "spatial_3d_padding", "resize_images", "resize_volumes",
    "batch_normalization", "normalize_batch_in_training", "binary_focal_crossentropy",
    "categorical_focal_crossentropy", "ctc_batch_cost", "ctc_decode", "in_top_k", "one_hot",
    "rnn",
]


def _data_format(data_format, fn):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"K.{fn}: unknown data_format {data_format!r}; expected "
                         "'channels_last' or 'channels_first'.")
    return data_format


def bias_add(x, bias, data_format=None):
    """Adds `bias` (shape `(C,)` or the input's non-batch shape) along the channel axis."""
    data_format = _data_format(data_format, "bias_add")
    x, bias = ops.convert_to_tensor(x), ops.convert_to_tensor(bias)
    if bias.ndim != 1 and bias.ndim != x.ndim - 1:
        raise ValueError(f"K.bias_add: unexpected bias dimensions {bias.ndim}; expected 1 or "
                         f"{x.ndim - 1} for an input of rank {x.ndim}.")
    if data_format == "channels_first" and x.ndim > 2:
        if bias.ndim == 1:
            bias = ops.reshape(bias, (1, bias.shape[0]) + (1,) * (x.ndim - 2))
        else:
            bias = ops.reshape(ops.moveaxis(bias, -1, 0), (1,) + tuple(bias.shape[-1:])
                               + tuple(bias.shape[:-1]))
    return x + bias


def _causal_pad(x, kernel, dilation_rate, data_format):
    left = dilation_rate * (kernel.shape[0] - 1)
    pad = [(0, 0), (left, 0), (0, 0)] if data_format == "channels_last" else \
        [(0, 0), (0, 0), (left, 0)]
    return ops.pad(x, pad)


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1D convolution; `padding` may also be `"causal"`."""
    data_format = _data_format(data_format, "conv1d")
    if padding == "causal":
        x, padding = _causal_pad(x, ops.convert_to_tensor(kernel), dilation_rate, data_format), "valid"
    return ops.conv(x, kernel, strides, padding, data_format, dilation_rate)


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    """2D convolution; `kernel` is `(kh, kw, in_channels, out_channels)`."""
    return ops.conv(x, kernel, strides, padding, _data_format(data_format, "conv2d"), dilation_rate)


def conv3d(x, kernel, strides=(1, 1, 1), padding="valid", data_format=None,
           dilation_rate=(1, 1, 1)):
    """3D convolution; `kernel` is `(kd, kh, kw, in_channels, out_channels)`."""
    return ops.conv(x, kernel, strides, padding, _data_format(data_format, "conv3d"), dilation_rate)


def conv2d_transpose(x, kernel, output_shape, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    """Transposed 2D convolution to `output_shape` (batch included); `kernel` is
    `(kh, kw, out_channels, in_channels)`."""
    data_format = _data_format(data_format, "conv2d_transpose")
    x, kernel = ops.convert_to_tensor(x), ops.convert_to_tensor(kernel)
    strides = (strides, strides) if isinstance(strides, int) else tuple(strides)
    dilation = (dilation_rate, dilation_rate) if isinstance(dilation_rate, int) \
        else tuple(dilation_rate)
    spatial_in = x.shape[1:3] if data_format == "channels_last" else x.shape[2:4]
    target = tuple(output_shape)[1:3] if data_format == "channels_last" else tuple(output_shape)[2:4]
    output_padding = []
    for size, k, s, d, want in zip(spatial_in, kernel.shape[:2], strides, dilation, target):
        k = d * (k - 1) + 1
        pad = k // 2 if padding == "same" else 0
        output_padding.append(int(want) - ((size - 1) * s + k - 2 * pad))
    return ops.conv_transpose(x, kernel, strides, padding, output_padding, data_format,
                              dilation_rate)


def depthwise_conv2d(x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None,
                     dilation_rate=(1, 1)):
    """Depthwise 2D convolution; kernel `(kh, kw, in_channels, multiplier)`."""
    return ops.depthwise_conv(x, depthwise_kernel, strides, padding,
                              _data_format(data_format, "depthwise_conv2d"), dilation_rate)


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), padding="valid",
                     data_format=None, dilation_rate=(1, 1)):
    """Depthwise then pointwise (1x1) 2D convolution."""
    return ops.separable_conv(x, depthwise_kernel, pointwise_kernel, strides, padding,
                              _data_format(data_format, "separable_conv2d"), dilation_rate)


def _pool(x, pool_size, strides, padding, data_format, pool_mode, fn):
    data_format = _data_format(data_format, fn)
    if pool_mode == "max":
        return ops.max_pool(x, pool_size, strides, padding, data_format)
    if pool_mode == "avg":
        return ops.average_pool(x, pool_size, strides, padding, data_format)
    raise ValueError(f"K.{fn}: invalid pool_mode {pool_mode!r}; expected 'max' or 'avg'.")


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """2D max or average pooling (`pool_mode` `"max"` or `"avg"`)."""
    return _pool(x, pool_size, strides, padding, data_format, pool_mode, "pool2d")


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"):
    """3D max or average pooling (`pool_mode` `"max"` or `"avg"`)."""
    return _pool(x, pool_size, strides, padding, data_format, pool_mode, "pool3d")


def _local_conv(inputs, kernel, kernel_size, strides, output_shape, data_format, fn):
    """Unshared-weight convolution: each output position has its own kernel slice.

    `kernel` is `(prod(output_shape), prod(kernel_size) * in_channels, filters)`.
    """
    data_format = _data_format(data_format, fn)
    inputs = ops.convert_to_tensor(inputs)
    if data_format == "channels_first":
        inputs = ops.moveaxis(inputs, 1, -1)
    patches = []
    for position in np.ndindex(*output_shape):
        index = [slice(None)]
        for p, k, s in zip(position, kernel_size, strides):
            index.append(slice(p * s, p * s + k))
        patch = inputs[tuple(index)]
        patches.append(ops.reshape(patch, (patch.shape[0], -1)))
    x = ops.stack(patches, axis=0)  # (positions, batch, features)
    out = ops.einsum("pbf,pfo->bpo", x, kernel)
    out = ops.reshape(out, (out.shape[0],) + tuple(output_shape) + (kernel.shape[-1],))
    if data_format == "channels_first":
        out = ops.moveaxis(out, -1, 1)
    return out


def local_conv1d(inputs, kernel, kernel_size, strides, data_format=None):
    """1D convolution with unshared weights (the `LocallyConnected1D` computation)."""
    kernel = ops.convert_to_tensor(kernel)
    return _local_conv(inputs, kernel, tuple(kernel_size), tuple(strides), (kernel.shape[0],),
                       data_format, "local_conv1d")


def local_conv2d(inputs, kernel, kernel_size, strides, output_shape, data_format=None):
    """2D convolution with unshared weights (the `LocallyConnected2D` computation)."""
    return _local_conv(inputs, ops.convert_to_tensor(kernel), tuple(kernel_size), tuple(strides),
                       tuple(output_shape), data_format, "local_conv2d")


def temporal_padding(x, padding=(1, 1)):
    """Pads the middle (time) axis of a 3D tensor with zeros."""
    if len(padding) != 2:
        raise ValueError(f"K.temporal_padding: padding must be a pair. Received: {padding!r}")
    return ops.pad(x, [(0, 0), tuple(padding), (0, 0)])


def _spatial_padding(x, padding, data_format, rank, fn):
    data_format = _data_format(data_format, fn)
    if len(padding) != rank or not all(len(p) == 2 for p in padding):
        raise ValueError(f"K.{fn}: padding must be {rank} pairs. Received: {padding!r}")
    pads = [tuple(p) for p in padding]
    pads = [(0, 0)] + pads + [(0, 0)] if data_format == "channels_last" else \
        [(0, 0), (0, 0)] + pads
    return ops.pad(x, pads)


def spatial_2d_padding(x, padding=((1, 1), (1, 1)), data_format=None):
    """Pads the two spatial axes of a 4D tensor with zeros."""
    return _spatial_padding(x, padding, data_format, 2, "spatial_2d_padding")


def spatial_3d_padding(x, padding=((1, 1), (1, 1), (1, 1)), data_format=None):
    """Pads the three spatial axes of a 5D tensor with zeros."""
    return _spatial_padding(x, padding, data_format, 3, "spatial_3d_padding")


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """Scales the rows and columns of a 4D tensor by integer factors."""
    data_format = _data_format(data_format, "resize_images")
    x = ops.convert_to_tensor(x)
    rows, cols = (1, 2) if data_format == "channels_last" else (2, 3)
    if interpolation == "nearest":
        return ops.repeat(ops.repeat(x, height_factor, axis=rows), width_factor, axis=cols)
    methods = {"bilinear": "bilinear", "bicubic": "bicubic", "lanczos3": "lanczos3",
               "lanczos5": "lanczos5"}
    if interpolation not in methods:
        raise ValueError(f"K.resize_images: interpolation should be one of 'nearest', "
                         f"{sorted(methods)}. Received: {interpolation!r}")
    size = (x.shape[rows] * height_factor, x.shape[cols] * width_factor)
    return ops.image.resize(x, size, interpolation=methods[interpolation], antialias=False,
                            data_format=data_format)


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Scales the three spatial axes of a 5D tensor by integer factors (nearest neighbour)."""
    data_format = _data_format(data_format, "resize_volumes")
    first = 1 if data_format == "channels_last" else 2
    for axis, factor in zip(range(first, first + 3), (depth_factor, height_factor, width_factor)):
        x = ops.repeat(x, factor, axis=axis)
    return x


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):
    """`(x - mean) / sqrt(var + epsilon) * gamma + beta` (`beta`/`gamma` may be None)."""
    x = ops.convert_to_tensor(x)
    inv = ops.rsqrt(ops.convert_to_tensor(var) + epsilon)
    if gamma is not None:
        inv = inv * gamma
    out = x * inv - ops.convert_to_tensor(mean) * inv
    return out + beta if beta is not None else out


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):
    """Batch-normalizes `x` with its own moments; returns `(normalized, mean, variance)`."""
    x = ops.convert_to_tensor(x)
    axes = tuple(reduction_axes)
    mean = ops.mean(x, axis=axes)
    var = ops.var(x, axis=axes)
    kept = [i for i in range(x.ndim) if i not in {a % x.ndim for a in axes}]
    shape = [x.shape[i] if i in kept else 1 for i in range(x.ndim)]

    def broadcast(v):
        return None if v is None else ops.reshape(v, shape)

    normed = batch_normalization(x, broadcast(mean), broadcast(var), broadcast(beta),
                                 broadcast(gamma), epsilon=epsilon)
    if x.ndim == 4 and list(axes) == [0, 1, 2]:
        # tf-keras takes TensorFlow's fused kernel here, which reports the unbiased variance
        # (the normalization itself uses the biased one).
        n = x.shape[0] * x.shape[1] * x.shape[2]
        var = var * (n / max(n - 1, 1))
    return normed, mean, var


def _clip_probabilities(output):
    eps = config.epsilon()
    return ops.clip(output, eps, 1.0 - eps)


def binary_focal_crossentropy(target, output, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False):
    """Binary focal crossentropy `-(1 - p_t)**gamma * log(p_t)`, elementwise."""
    target = ops.convert_to_tensor(target)
    output = ops.sigmoid(output) if from_logits else ops.convert_to_tensor(output)
    bce = ops.binary_crossentropy(target, output)
    p_t = target * output + (1 - target) * (1 - output)
    loss = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        loss = (target * alpha + (1 - target) * (1 - alpha)) * loss
    return loss


def categorical_focal_crossentropy(target, output, alpha=0.25, gamma=2.0, from_logits=False,
                                   axis=-1):
    """Categorical focal crossentropy, summed over `axis`."""
    target = ops.convert_to_tensor(target)
    if from_logits:
        output = ops.softmax(output, axis=axis)
    output = ops.convert_to_tensor(output)
    output = output / ops.sum(output, axis=axis, keepdims=True)
    output = _clip_probabilities(output)
    ce = -target * ops.log(output)
    modulating = ops.power(1.0 - output, gamma)
    return ops.sum(alpha * modulating * ce, axis=axis)


def ctc_batch_cost(y_true, y_pred, input_length, label_length):
    """CTC loss per sample, shape `(batch, 1)`.

    Args:
        y_true: `(batch, max_label_length)` int labels.
        y_pred: `(batch, time, classes)` softmax outputs; the last class is the blank.
        input_length: `(batch, 1)` lengths of each `y_pred` sequence.
        label_length: `(batch, 1)` lengths of each label sequence.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    label_length = ops.cast(ops.reshape(label_length, (-1,)), "int32")
    input_length = ops.cast(ops.reshape(input_length, (-1,)), "int32")
    log_probs = ops.log(y_pred + config.epsilon())
    loss = ops.ctc_loss(ops.cast(y_true, "int32"), log_probs, label_length, input_length,
                        mask_index=y_pred.shape[-1] - 1)
    return ops.expand_dims(loss, 1)


def ctc_decode(y_pred, input_length, greedy=True, beam_width=100, top_paths=1):
    """Decodes softmax outputs (blank = last class) by greedy or beam search.

    Returns:
        `(decoded, log_prob)`: a list of `top_paths` int tensors `(batch, time)` padded
        with -1, and the log-probabilities `(batch, top_paths)` (greedy: the negative
        sum of the best log-probabilities per step, as TensorFlow reports).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    input_length = ops.cast(ops.reshape(input_length, (-1,)), "int32")
    log_probs = ops.log(y_pred + config.epsilon())
    decoded, scores = ops.ctc_decode(
        log_probs, input_length, strategy="greedy" if greedy else "beam_search",
        beam_width=beam_width, top_paths=top_paths, mask_index=y_pred.shape[-1] - 1)
    paths = [decoded[i] for i in range(top_paths)]  # int32: JAX runs without 64-bit ints
    return paths, scores


def in_top_k(predictions, targets, k):
    """Whether each target index is among the `k` largest predictions of its row."""
    return ops.in_top_k(ops.cast(targets, "int32"), predictions, k)


def one_hot(indices, num_classes):
    """One-hot encoding along a new last axis (float32)."""
    return ops.one_hot(indices, num_classes)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    """Iterates `step_function(input_t, states) -> (output_t, new_states)` over time.

    Args:
        step_function: Called with the input at one step and the list of states (plus
            `constants`, appended to the states, when given).
        inputs: `(batch, time, ...)` tensor (`(time, batch, ...)` if `time_major`).
        initial_states: List of state tensors.
        go_backwards: Iterate from the last step to the first.
        mask: Optional `(batch, time)` boolean mask; masked steps keep the previous states and
            repeat the previous output (or zeros when `zero_output_for_mask`).
        constants: List of tensors passed to every step.
        unroll: Accepted for compatibility; the loop is always a compiled scan.
        input_length: Unused (static shapes).
        time_major: Whether the time axis comes first.
        zero_output_for_mask: Masked steps output zeros instead of the previous output.
        return_all_outputs: If False, `outputs` holds only the last step.

    Returns:
        `(last_output, outputs, new_states)`.
    """
    inputs = ops.convert_to_tensor(inputs)
    if not time_major:
        inputs = ops.moveaxis(inputs, 1, 0)
    steps = inputs.shape[0]
    if mask is not None:
        mask = ops.cast(mask, "bool")
        if not time_major:
            mask = ops.moveaxis(mask, 1, 0)
    if go_backwards:
        inputs = ops.flip(inputs, axis=0)
        mask = None if mask is None else ops.flip(mask, axis=0)
    constants = list(constants or [])
    states = [ops.convert_to_tensor(s) for s in initial_states]

    def step(x_t, states_t):
        output, new_states = step_function(x_t, list(states_t) + constants)
        if not isinstance(new_states, (list, tuple)):
            new_states = [new_states]
        return output, list(new_states)

    first_output, _ = step(inputs[0], states)
    zero_output = ops.zeros_like(first_output)

    def body(carry, xs):
        prev_output, prev_states = carry
        x_t, m_t = xs
        output, new_states = step(x_t, prev_states)
        if m_t is not None:
            def keep(new, old):
                m = ops.reshape(m_t, (m_t.shape[0],) + (1,) * (new.ndim - 1))
                return ops.where(m, new, old)

            new_states = [keep(n, o) for n, o in zip(new_states, prev_states)]
            output = keep(output, zero_output if zero_output_for_mask else prev_output)
        return (output, new_states), output

    (last_output, final_states), outputs = ops.scan(
        body, (zero_output, states), (inputs, mask) if mask is not None else (inputs, None),
        length=steps)
    if not time_major:
        outputs = ops.moveaxis(outputs, 0, 1)
    if not return_all_outputs:
        outputs = ops.expand_dims(last_output, 0 if time_major else 1)
    return last_output, outputs, list(final_states)
