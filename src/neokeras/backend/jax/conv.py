"""Convolution and pooling primitives on `jax.Array` (the backend side of `ops.conv`, ...).

Layouts follow Keras: inputs are `(batch, *spatial, channels)` for `"channels_last"` or
`(batch, channels, *spatial)` for `"channels_first"`; kernels are always
`(*spatial, in_channels // groups, out_channels)` (transposed convolutions:
`(*spatial, out_channels, in_channels)`).
"""

import math

import jax.numpy as jnp
import numpy as np
from jax import lax

from neokeras.backend.jax import conv_lowering, pool_lowering
from neokeras.backend.jax.core import convert_to_tensor as _t

__all__ = ["conv", "depthwise_conv", "separable_conv", "conv_transpose", "max_pool",
           "average_pool", "adaptive_average_pool", "adaptive_max_pool"]

_SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


def _data_format(data_format):
    if data_format is None:
        from neokeras import config

        data_format = config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("data_format must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return data_format


def _tuple(value, rank, name):
    """An int or a sequence of `rank` ints as a tuple of `rank` ints."""
    if isinstance(value, int):
        return (value,) * rank
    value = tuple(int(v) for v in value)
    if len(value) != rank:
        raise ValueError(f"`{name}` must be an int or a tuple of {rank} ints for a "
                         f"{rank}D operation. Received: {name}={value}")
    return value


def _padding(padding):
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same'. Received: padding={padding!r}")
    return padding.upper()


def _dimension_numbers(rank, data_format, kernel_spec="IO"):
    spatial = _SPATIAL[rank]
    lhs = "N" + spatial + "C" if data_format == "channels_last" else "NC" + spatial
    return lhs, spatial + kernel_spec, lhs


def _rank(inputs, op):
    rank = inputs.ndim - 2
    if rank not in _SPATIAL:
        raise ValueError(f"{op} expects inputs of rank 3, 4 or 5 (batch, spatial..., channels). "
                         f"Received inputs of shape {inputs.shape}")
    return rank


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (N = 1, 2, 3), grouped when `kernel.shape[-2]` divides the channels.

    Args:
        inputs: Tensor of rank N + 2.
        kernel: Tensor of shape `(*spatial, in_channels // groups, out_channels)`.
        strides: Int or tuple of N ints.
        padding: `"valid"` or `"same"` (zero padding so that `out = ceil(in / stride)`).
        data_format: `"channels_last"` or `"channels_first"` (default: `image_data_format()`).
        dilation_rate: Int or tuple of N ints.

    Returns:
        Tensor of rank N + 2.
    """
    inputs, kernel = _t(inputs), _t(kernel)
    rank = _rank(inputs, "conv")
    data_format = _data_format(data_format)
    channels = inputs.shape[-1] if data_format == "channels_last" else inputs.shape[1]
    if channels % kernel.shape[-2]:
        raise ValueError(
            f"conv: the input channels ({channels}) must be a multiple of the kernel's input "
            f"channels ({kernel.shape[-2]}). Received inputs.shape={inputs.shape}, "
            f"kernel.shape={kernel.shape}")
    kernel = kernel.astype(inputs.dtype)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    dimension_numbers = _dimension_numbers(rank, data_format)
    spatial = inputs.shape[1:-1] if data_format == "channels_last" else inputs.shape[2:]
    window = [(k - 1) * d + 1 for k, d in zip(kernel.shape[:rank], dilation)]
    pads = lax.padtype_to_pads(spatial, window, strides, _padding(padding))
    groups = channels // kernel.shape[-2]

    def native(inputs, kernel):
        return lax.conv_general_dilated(
            inputs, kernel, window_strides=strides, padding=pads, rhs_dilation=dilation,
            dimension_numbers=dimension_numbers, feature_group_count=groups)

    def patches(inputs, kernel):
        return conv_lowering.patches_conv(inputs, kernel, strides, pads, dilation)

    def split(inputs, kernel):
        return conv_lowering.split_conv(native, inputs, kernel, strides, pads, dilation)

    def widened(inputs, kernel):
        return conv_lowering.widened_conv(inputs, kernel, strides, pads, dilation)

    return _lowered("conv", inputs, kernel, strides, pads, dilation, native, patches,
                    data_format == "channels_last" and groups == 1, split, widened)


def _lowered(op, inputs, kernel, strides, pads, dilation, native, patches, eligible,
             split=None, widened=None):
    """`native`, `patches`, `split` or `widened` applied to `(inputs, kernel)`, as
    `conv_lowering` chooses."""
    config = (tuple(strides), tuple(map(tuple, pads)), tuple(dilation))
    lowerings = {"native": native, "patches": patches, "split": split, "widened": widened}
    choice = conv_lowering.choose(op, inputs, kernel, config, native, patches, eligible, split,
                                  widened)
    return lowerings[choice](inputs, kernel)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Depthwise convolution: each input channel convolved with its own `multiplier` filters.

    Args:
        inputs: Tensor of rank N + 2 (N = 1 or 2).
        kernel: Tensor of shape `(*spatial, in_channels, depth_multiplier)`.
        strides, padding, data_format, dilation_rate: As in `conv`.

    Returns:
        Tensor with `in_channels * depth_multiplier` channels.
    """
    inputs, kernel = _t(inputs), _t(kernel)
    rank = _rank(inputs, "depthwise_conv")
    data_format = _data_format(data_format)
    channels = inputs.shape[-1] if data_format == "channels_last" else inputs.shape[1]
    if kernel.shape[-2] != channels:
        raise ValueError(
            f"depthwise_conv: kernel.shape[-2] must equal the input channels ({channels}). "
            f"Received kernel.shape={kernel.shape}")
    kernel = kernel.astype(inputs.dtype)
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    spatial = inputs.shape[1:-1] if data_format == "channels_last" else inputs.shape[2:]
    window = [(k - 1) * d + 1 for k, d in zip(kernel.shape[:rank], dilation)]
    pads = lax.padtype_to_pads(spatial, window, strides, _padding(padding))

    def native(inputs, kernel):
        return lax.conv_general_dilated(
            inputs, jnp.reshape(kernel, kernel.shape[:-2] + (1, -1)), window_strides=strides,
            padding=pads, rhs_dilation=dilation,
            dimension_numbers=_dimension_numbers(rank, data_format),
            feature_group_count=channels)

    def patches(inputs, kernel):
        return conv_lowering.patches_depthwise_conv(inputs, kernel, strides, pads, dilation)

    return _lowered("depthwise_conv", inputs, kernel, strides, pads, dilation, native,
                    patches, data_format == "channels_last")


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """Depthwise convolution followed by a pointwise (1x1) convolution.

    Args:
        inputs: Tensor of rank N + 2 (N = 1 or 2).
        depthwise_kernel: `(*spatial, in_channels, depth_multiplier)`.
        pointwise_kernel: `(1, ..., 1, in_channels * depth_multiplier, out_channels)`.
        strides, padding, data_format, dilation_rate: As in `conv`, for the depthwise step.
    """
    x = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(x, pointwise_kernel, 1, "valid", data_format, 1)


def _transpose_pads(size, kernel, stride, dilation, padding, output_padding):
    """(before, after) padding of the stride-dilated input that gives Keras's output length.

    With no padding the transposed convolution is a full correlation of the dilated input with
    the flipped kernel (pads of `k - 1` on both sides, `k` the dilated kernel size). Keras then
    trims to `(size - 1) * stride + max(k, stride)` ("valid") or `size * stride` ("same") when
    `output_padding` is None; otherwise `(size - 1) * stride + k - 2 * pad + output_padding`
    with `pad = 0` ("valid") or `k // 2` ("same"). Trimming starts on the left for "same".
    """
    k = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(k, stride) - k if output_padding is None else output_padding
        return k - 1, k - 1 + extra
    total = stride + k - 2 if output_padding is None else k + k % 2 - 2 + output_padding
    before = min((total + 1) // 2, k - 1)
    return before, total - before


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """N-D transposed convolution (the gradient of `conv` with respect to its input).

    Args:
        inputs: Tensor of rank N + 2.
        kernel: Tensor of shape `(*spatial, out_channels, in_channels)`.
        strides: Int or tuple of N ints.
        padding: `"valid"` or `"same"`.
        output_padding: None, an int or a tuple of N ints: extra size added on the right of
            each spatial output dimension (must be smaller than the stride).
        data_format: `"channels_last"` or `"channels_first"`.
        dilation_rate: Int or tuple of N ints.
    """
    inputs, kernel = _t(inputs), _t(kernel)
    rank = _rank(inputs, "conv_transpose")
    data_format = _data_format(data_format)
    padding = _padding(padding).lower()
    strides = _tuple(strides, rank, "strides")
    dilation = _tuple(dilation_rate, rank, "dilation_rate")
    if output_padding is None:
        output_padding = (None,) * rank
    else:
        output_padding = _tuple(output_padding, rank, "output_padding")
    spatial = inputs.shape[1:-1] if data_format == "channels_last" else inputs.shape[2:]
    pads = [_transpose_pads(spatial[i], kernel.shape[i], strides[i], dilation[i], padding,
                            output_padding[i]) for i in range(rank)]

    def native(inputs, kernel):
        return lax.conv_general_dilated(
            inputs, jnp.flip(kernel, axis=tuple(range(rank))), window_strides=(1,) * rank,
            padding=pads, lhs_dilation=strides, rhs_dilation=dilation,
            dimension_numbers=_dimension_numbers(rank, data_format, kernel_spec="OI"))

    def patches(inputs, kernel):
        return conv_lowering.patches_conv_transpose(inputs, kernel, strides, pads, dilation)

    return _lowered("conv_transpose", inputs, kernel.astype(inputs.dtype),
                    strides, pads, dilation, native, patches,
                    data_format == "channels_last")


def _pool_window(inputs, pool_size, strides, data_format, op):
    rank = _rank(inputs, op)
    pool_size = _tuple(pool_size, rank, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, rank, "strides")
    if data_format == "channels_last":
        return (1,) + pool_size + (1,), (1,) + strides + (1,)
    return (1, 1) + pool_size, (1, 1) + strides


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """N-D max pooling.

    Args:
        inputs: Tensor of rank N + 2.
        pool_size: Int or tuple of N ints.
        strides: Int or tuple of N ints; defaults to `pool_size`.
        padding: `"valid"` or `"same"` (padded positions never win the max).
        data_format: `"channels_last"` or `"channels_first"`.
    """
    inputs = _t(inputs)
    window, strides = _pool_window(inputs, pool_size, strides, _data_format(data_format),
                                   "max_pool")
    padding = _padding(padding)
    if pool_lowering.use_slices(inputs, window, strides):
        return pool_lowering.slices_max_pool(inputs, window, strides, padding)
    init = -np.inf if jnp.issubdtype(inputs.dtype, jnp.floating) else jnp.iinfo(inputs.dtype).min
    # A concrete (numpy) init value lets jax recognise the max monoid, which has a gradient.
    return lax.reduce_window(inputs, np.array(init, inputs.dtype), lax.max, window, strides,
                             padding)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """N-D average pooling; with `"same"` padding each window averages its real inputs only.

    Args:
        inputs: Tensor of rank N + 2.
        pool_size: Int or tuple of N ints.
        strides: Int or tuple of N ints; defaults to `pool_size`.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"`.
    """
    inputs = _t(inputs)
    window, strides = _pool_window(inputs, pool_size, strides, _data_format(data_format),
                                   "average_pool")
    padding = _padding(padding)
    zero = np.array(0, inputs.dtype)
    sums = lax.reduce_window(inputs, zero, lax.add, window, strides, padding)
    if padding == "VALID":
        return sums / jnp.array(math.prod(window), inputs.dtype)
    ones = jnp.ones((1,) + inputs.shape[1:], inputs.dtype)
    counts = lax.reduce_window(ones, zero, lax.add, window, strides, padding)
    return sums / counts



def _adaptive_pool(inputs, output_size, data_format, reduce, op):
    """Pools each spatial axis into `output_size` bins; bin i covers
    [floor(i * n / out), ceil((i + 1) * n / out)). Rectangle pooling is separable for max and
    mean, so the axes are pooled one after the other."""
    inputs = _t(inputs)
    rank = _rank(inputs, op)
    output_size = _tuple(output_size, rank, "output_size")
    first = 1 if _data_format(data_format) == "channels_last" else 2
    x = inputs
    for axis, out in zip(range(first, first + rank), output_size):
        n = x.shape[axis]
        bins = []
        for i in range(out):
            start, stop = (i * n) // out, -(-((i + 1) * n) // out)
            window = lax.slice_in_dim(x, start, stop, axis=axis)
            bins.append(reduce(window, axis=axis, keepdims=True))
        x = jnp.concatenate(bins, axis=axis)
    return x


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed output size (PyTorch's adaptive pooling bins)."""
    return _adaptive_pool(inputs, output_size, data_format, jnp.mean, "adaptive_average_pool")


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed output size (PyTorch's adaptive pooling bins)."""
    return _adaptive_pool(inputs, output_size, data_format, jnp.max, "adaptive_max_pool")
