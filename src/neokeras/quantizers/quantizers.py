"""Quantizers and quantization arithmetic (`keras.quantizers`).

Int8/int4 use symmetric "abs-max" scaling (`q = round(x * scale)`, `x ~ q / scale`) or, for
int4 groups, an asymmetric scale and zero point (`x ~ (q - zero) * scale`). Float8 helpers keep
a history of absolute maxima to choose the scale of the next step (delayed scaling).
"""

import math

import numpy as np

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend.common.keras_tensor import KerasTensor


@keras_name("keras.Quantizer", "keras.quantizers.Quantizer")
class Quantizer:
    """Base class of quantizers: `quantizer(x)` returns a quantized form of `x`.

    Args:
        output_dtype: The dtype of the quantized values (default `"int8"`).
    """

    def __init__(self, output_dtype="int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        """The base class leaves `x` unchanged; subclasses quantize it."""
        return x

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


def _numpy_axis(axis):
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


@keras_name("keras.quantizers.abs_max_quantize")
def abs_max_quantize(inputs, axis, value_range=(-127, 127), dtype="int8",
                     epsilon=backend.epsilon(), to_numpy=False):
    """Symmetric quantization: `scale = value_range[1] / (max|x| + epsilon)` along `axis`.

    Args:
        inputs: Tensor to quantize.
        axis: Axis or axes reduced to compute the scale (kept with size 1).
        value_range: `(min, max)` of the quantized values.
        dtype: dtype of the quantized output.
        epsilon: Added to the maximum to avoid dividing by zero.
        to_numpy: Compute on the host with numpy (saves device memory for big weights).

    Returns:
        `(quantized, scale)`; `inputs ~ quantized / scale`.
    """
    if to_numpy:
        original_dtype = backend.standardize_dtype(inputs.dtype)
        x = ops.convert_to_numpy(inputs)
        scale = np.divide(value_range[1],
                          np.add(np.max(np.abs(x), axis=_numpy_axis(axis), keepdims=True),
                                 epsilon))
        outputs = np.clip(np.round(np.multiply(x, scale)), value_range[0], value_range[1])
        return (ops.convert_to_tensor(outputs.astype(dtype)),
                ops.convert_to_tensor(scale, dtype=original_dtype))
    inputs = ops.convert_to_tensor(inputs)
    scale = ops.divide(value_range[1],
                       ops.add(ops.max(ops.abs(inputs), axis=axis, keepdims=True), epsilon))
    scale = ops.cast(scale, backend.standardize_dtype(inputs.dtype))
    outputs = ops.clip(ops.round(ops.multiply(inputs, scale)), value_range[0], value_range[1])
    return ops.cast(outputs, dtype), scale


@keras_name("keras.quantizers.abs_max_quantize_grouped_with_zero_point")
def abs_max_quantize_grouped_with_zero_point(inputs, block_size, value_range=(-8, 7),
                                             dtype="int8", epsilon=backend.epsilon(),
                                             to_numpy=False):
    """Asymmetric quantization of a 2D `(input_dim, output_dim)` tensor in row groups.

    Each block of `block_size` rows (the last one zero-padded) gets, per column,
    `scale = (max - min + epsilon) / (qmax - qmin)` and `zero = round(-min / scale) + qmin`.

    Returns:
        `(quantized, scale, zero_point)`: quantized has the shape of `inputs`; scale and
        zero point (int8) have shape `(ceil(input_dim / block_size), output_dim)`, and
        `inputs ~ (quantized - zero_point) * scale` row group by row group.
    """
    original_dtype = backend.standardize_dtype(inputs.dtype)
    if len(inputs.shape) != 2:
        raise ValueError("abs_max_quantize_grouped_with_zero_point expects a 2D tensor "
                         f"(input_dim, output_dim). Received shape {tuple(inputs.shape)}.")
    qmin, qmax = value_range
    input_dim, output_dim = int(inputs.shape[0]), int(inputs.shape[1])
    n_groups = math.ceil(input_dim / block_size)
    pad = n_groups * block_size - input_dim
    if to_numpy:
        x = ops.convert_to_numpy(inputs)
        if pad:
            x = np.concatenate([x, np.zeros((pad, output_dim), x.dtype)], axis=0)
        grouped = x.reshape(n_groups, block_size, output_dim)
        low = grouped.min(axis=1, keepdims=True)
        high = grouped.max(axis=1, keepdims=True)
        scale = (high - low + epsilon) / (qmax - qmin)
        zero = np.clip(np.round(-low / scale) + qmin, qmin, qmax)
        q = np.clip(np.round(grouped / scale) + zero, qmin, qmax).astype(dtype)
        q = q.reshape(n_groups * block_size, output_dim)[:input_dim]
        return (ops.convert_to_tensor(q),
                ops.convert_to_tensor(np.squeeze(scale, 1), dtype=original_dtype),
                ops.convert_to_tensor(np.squeeze(zero, 1).astype("int8")))
    x = ops.convert_to_tensor(inputs)
    bits = int(math.log2(qmax - qmin + 1))
    scale_t, zero_t, _ = compute_quantization_parameters(
        ops.transpose(x), bits=bits, symmetric=False, per_channel=True, group_size=block_size,
        compute_dtype=original_dtype, epsilon=epsilon, signed=True)
    scale, zero = ops.transpose(scale_t), ops.transpose(zero_t)
    if pad:
        x = ops.concatenate([x, ops.zeros((pad, output_dim), dtype=x.dtype)], axis=0)
    grouped = ops.reshape(x, (n_groups, block_size, output_dim))
    q = ops.add(ops.round(ops.divide(grouped, ops.expand_dims(scale, 1))),
                ops.expand_dims(zero, 1))
    q = ops.cast(ops.clip(q, qmin, qmax), dtype)
    q = ops.reshape(q, (n_groups * block_size, output_dim))[:input_dim, :]
    return q, scale, zero


def compute_quantization_parameters(x, *, bits, symmetric=False, per_channel=False,
                                    group_size=-1, compute_dtype="float32", epsilon=0.0,
                                    signed=False):
    """Scale and zero point of a `(out_features, in_features)` weight, as GPTQ uses them.

    Per tensor, per row (`per_channel`) or per row and group of `group_size` columns.

    Returns:
        `(scale, zero, maxq)`: scale and zero of shape `(out_features, n_groups)` (1 group
        unless grouped), zero int8 when `signed` else uint8; `maxq = 2**bits - 1`.
    """
    if len(x.shape) < 2:
        raise ValueError(f"compute_quantization_parameters: the weight must have rank >= 2. "
                         f"Received shape {tuple(x.shape)}.")
    out_features, in_features = int(x.shape[0]), int(x.shape[1])
    n_groups = -(-in_features // group_size) if per_channel and group_size > 0 else 1
    if n_groups > 1:
        if in_features % group_size:
            x = ops.pad(x, [[0, 0], [0, group_size - in_features % group_size]])
        grouped = ops.reshape(x, (out_features, n_groups, group_size))
        low, high = ops.min(grouped, axis=2), ops.max(grouped, axis=2)
    else:
        flat = ops.reshape(x, (out_features, -1) if per_channel else (1, -1))
        low, high = ops.min(flat, axis=1), ops.max(flat, axis=1)
    if symmetric:
        bound = ops.maximum(ops.abs(low), high)
        low = ops.where(ops.less(low, 0), ops.negative(bound), low)
        high = bound
    same = ops.equal(low, high)
    low = ops.where(same, low - 1, low)
    high = ops.where(same, high + 1, high)
    maxq = ops.cast(2 ** bits - 1, compute_dtype)
    spread = high - low
    if epsilon > 0:
        spread = spread + epsilon
    scale = ops.divide(spread, maxq)
    scale = ops.where(ops.less_equal(scale, 0), 1e-8, scale)
    if signed:
        qmin, qmax = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
        if symmetric:
            zero = ops.full_like(scale, (2 ** bits) / 2 + qmin)
        else:
            zero = ops.round(ops.divide(ops.negative(low), scale)) + qmin
        zero = ops.clip(zero, qmin, qmax)
    elif symmetric:
        zero = ops.full_like(scale, (2 ** bits) / 2)
    else:
        zero = ops.round(ops.divide(ops.negative(low), scale))
    if n_groups == 1:
        if per_channel:
            scale, zero = ops.reshape(scale, (-1, 1)), ops.reshape(zero, (-1, 1))
        else:
            scale = ops.tile(ops.reshape(scale, (1, 1)), (out_features, 1))
            zero = ops.tile(ops.reshape(zero, (1, 1)), (out_features, 1))
    return scale, ops.cast(zero, "int8" if signed else "uint8"), maxq


def dequantize_with_sz_map(weights, scale, zero, g_idx, group_axis=-1):
    """`(weights - zero[g]) * scale[g]`, where `g_idx` gives each position's group along
    `group_axis` of `scale` and `zero`."""
    groups = ops.cast(g_idx, "int32")
    scale = ops.take(scale, groups, axis=group_axis)
    zero = ops.cast(ops.take(zero, groups, axis=group_axis), scale.dtype)
    return ops.multiply(ops.subtract(weights, zero), scale)


@keras_name("keras.quantizers.AbsMaxQuantizer")
class AbsMaxQuantizer(Quantizer):
    """Quantizer using `abs_max_quantize`: `quantizer(x, axis)` returns `(quantized, scale)`.

    Args:
        axis: Deprecated: pass `axis` when calling instead (the default is -1).
        value_range: `(min, max)` of the quantized values (default `(-127, 127)`).
        epsilon: Added to the absolute maximum to avoid dividing by zero.
        output_dtype: dtype of the quantized values (default `"int8"`).
    """

    def __init__(self, axis=None, value_range=(-127, 127), epsilon=backend.epsilon(),
                 output_dtype="int8"):
        super().__init__(output_dtype=output_dtype)
        self.axis = None if axis is None else tuple((axis,) if isinstance(axis, int) else axis)
        self.value_range = value_range
        self.epsilon = epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError(
                "AbsMaxQuantizer: output_dtype='int8' requires value_range within [-128, 127]. "
                f"Received: value_range={value_range}")

    def __call__(self, x, axis=None, to_numpy=False):
        """Returns `(quantized, scale)` reduced along `axis` (the constructor's, else -1)."""
        if axis is None:
            axis = self.axis if self.axis is not None else -1
        return abs_max_quantize(x, axis, self.value_range, self.output_dtype, self.epsilon,
                                to_numpy)

    def get_config(self):
        config = {"value_range": self.value_range, "epsilon": self.epsilon,
                  "output_dtype": self.output_dtype}
        if self.axis is not None:
            config["axis"] = self.axis
        return config


def _nudged_range(min_range, max_range, num_bits, narrow_range):
    """The quantization grid of fake quantization: min/max moved so that 0 is on the grid."""
    compute_dtype = backend.result_type(min_range.dtype, "float32")
    min_range = ops.cast(min_range, compute_dtype)
    max_range = ops.cast(max_range, compute_dtype)
    quant_max = (1 << num_bits) - 1
    quant_min = 1 if narrow_range else 0
    spread = max_range - min_range
    scale = spread / (quant_max - quant_min)
    inv_scale = (quant_max - quant_min) / spread
    zero_point = ops.round(ops.clip(quant_min - min_range / scale, quant_min, quant_max))
    return (quant_min - zero_point) * scale, (quant_max - zero_point) * scale, scale, inv_scale


@keras_name("keras.quantizers.fake_quant_with_min_max_vars")
def fake_quant_with_min_max_vars(inputs, min_vals, max_vals, num_bits=8, narrow_range=False,
                                 axis=None):
    """Quantizes `inputs` onto a grid of `2**num_bits` levels over `[min_vals, max_vals]` and
    back to floats (per tensor, or per channel along `axis`).

    The gradient passes straight through inside the range; values clipped at the bounds send
    their gradient to `min_vals` / `max_vals`, so the range can be learned.
    """
    if isinstance(inputs, KerasTensor):
        return KerasTensor(inputs.shape, dtype=inputs.dtype)
    inputs = ops.convert_to_tensor(inputs)
    min_vals = ops.convert_to_tensor(min_vals)
    max_vals = ops.convert_to_tensor(max_vals)
    num_bits = int(num_bits)
    if axis is not None:
        axis = axis % len(inputs.shape)

    @ops.custom_gradient
    def fake_quant(x, min_val, max_val):
        dtype = backend.standardize_dtype(x.dtype)
        low, high, scale, inv_scale = _nudged_range(min_val, max_val, num_bits, narrow_range)
        zero = ops.floor(-low * inv_scale + 0.5)
        shifted = ops.clip(ops.cast(x, low.dtype), low, high) - low
        result = ops.cast(ops.floor(shifted * inv_scale - zero + 0.5) * scale, dtype)
        inside = ops.logical_and(ops.greater_equal(x, low), ops.less_equal(x, high))

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            others = [i for i in range(len(upstream.shape)) if i != axis]

            def bound_grad(mask, like):
                g = ops.where(mask, upstream, 0.0)
                g = ops.sum(g, axis=others) if axis is not None else ops.sum(g)
                return ops.reshape(g, ops.shape(like))

            return (ops.where(inside, upstream, 0.0),
                    bound_grad(ops.less_equal(x, low), min_val),
                    bound_grad(ops.greater_equal(x, high), max_val))

        return result, grad

    return fake_quant(inputs, min_vals, max_vals)


@keras_name("keras.quantizers.compute_float8_scale")
def compute_float8_scale(amax, scale, dtype_max, margin=0):
    """The next float8 scale: `amax / dtype_max * 2**margin`, or `scale` unchanged when
    `amax` is zero or not finite (delayed scaling, as NVIDIA Transformer Engine does)."""
    inverse = ops.reciprocal(scale)
    factor = ops.divide(ops.divide(dtype_max, amax), 2 ** margin)
    factor = ops.where(amax > 0.0, factor, inverse)
    factor = ops.where(ops.isfinite(amax), factor, inverse)
    return ops.reciprocal(factor)


@keras_name("keras.quantizers.compute_float8_amax_history")
def compute_float8_amax_history(x, amax_history):
    """The history rolled by one, with `max(|x|)` written at position 0."""
    amax = ops.cast(ops.max(ops.abs(x)), amax_history.dtype)
    return ops.scatter_update(ops.roll(amax_history, shift=-1), [[0]], ops.reshape(amax, [1]))


def _finfo_max(dtype):
    import ml_dtypes  # installed with jax; only float8 needs it

    return float(ml_dtypes.finfo(dtype).max)


@keras_name("keras.quantizers.quantize_and_dequantize")
def quantize_and_dequantize(inputs, scale, quantized_dtype, compute_dtype):
    """Round-trips `inputs / scale` through `quantized_dtype` (clipped to its range), then
    multiplies by `scale` again, computing in `compute_dtype`."""
    limit = ops.cast(_finfo_max(quantized_dtype), compute_dtype)
    scale = ops.cast(scale, compute_dtype)
    x = ops.clip(ops.divide(inputs, scale), -limit, limit)
    x = ops.cast(ops.cast(x, quantized_dtype), compute_dtype)
    return ops.multiply(x, scale)


def _check_int4_dtype(dtype):
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")


@keras_name("keras.quantizers.pack_int4")
def pack_int4(arr, axis=0, dtype="int8"):
    """Packs int4 values (an int8/uint8 tensor in `[-8, 7]`) two per byte along `axis`.

    Element `2i` goes to the low nibble and `2i + 1` to the high nibble; an odd length is
    padded with a zero.

    Returns:
        `(packed, packed_shape, original_length)`.
    """
    _check_int4_dtype(dtype)
    given = backend.standardize_dtype(arr.dtype)
    if given != dtype:
        raise TypeError(f"Expected {dtype} tensor for packing, got {given}.")
    values = np.moveaxis(ops.convert_to_numpy(arr), axis, 0)
    length = values.shape[0]
    if length % 2:
        values = np.concatenate([values, np.zeros((1,) + values.shape[1:], values.dtype)])
    np_dtype = np.dtype(dtype)
    mask = np_dtype.type(0x0F)
    low = np.bitwise_and(values[::2].astype(np_dtype), mask)
    high = np.bitwise_and(values[1::2].astype(np_dtype), mask)
    packed = np.bitwise_or(low, np.left_shift(high, np_dtype.type(4))).astype(np_dtype)
    packed = np.moveaxis(packed, 0, axis)
    return ops.convert_to_tensor(packed), tuple(packed.shape), length


@keras_name("keras.quantizers.unpack_int4")
def unpack_int4(packed, orig_len, axis=0, dtype="int8"):
    """Reverses `pack_int4`: two values per byte along `axis`, cut back to `orig_len`.

    With `dtype="int8"` the nibbles are read as signed (`[-8, 7]`), with `"uint8"` as
    `[0, 15]`.
    """
    _check_int4_dtype(dtype)
    given = backend.standardize_dtype(packed.dtype)
    if given not in ("int8", "uint8"):
        raise TypeError(f"Expected int8 or uint8 tensor for unpacking, got {packed.dtype}")
    rank = len(packed.shape)
    axis = axis % rank
    perm = [axis] + [i for i in range(rank) if i != axis]
    moved = ops.transpose(packed, perm)
    mask = ops.array(0x0F, dtype=given)
    halves = [ops.bitwise_and(moved, mask), ops.bitwise_and(ops.right_shift(moved, 4), mask)]
    if dtype == "int8":
        eight = ops.cast(8, given)
        halves = [ops.subtract(ops.bitwise_xor(h, eight), eight) for h in halves]
    halves = [ops.cast(h, dtype) for h in halves]
    unpacked = ops.reshape(ops.stack(halves, axis=1), (-1,) + tuple(moved.shape[1:]))
    unpacked = unpacked[:orig_len]
    return ops.transpose(unpacked, [perm.index(i) for i in range(rank)])
