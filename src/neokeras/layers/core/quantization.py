"""Weight quantization of `Dense`, `EinsumDense` and `Embedding` (`layer.quantize(mode)`).

The layers keep their float maths; this module swaps their main matrix for a quantized one and
supplies the quantized forward pass, in the variable layout Keras 3 writes to files:

- int8: `kernel` int8 with a float `kernel_scale` per output channel (`W ~ kernel / scale`);
  the inputs are quantized per row too (by default), so the product runs on integers.
- int4: `kernel` holds two int4 values per byte along the last axis. Per output channel
  (`block_size` None/-1) it is symmetric like int8; with a `block_size`, each group of input
  rows has its own scale and zero point (`W ~ (kernel - kernel_zero) * kernel_scale`) and
  `g_idx` gives each input row's group.
- float8: the float kernel stays; inputs and kernel are rounded through float8_e4m3fn with
  scales chosen from a history of absolute maxima (inference uses the stored scales).
- gptq / awq (Dense, EinsumDense with a 2D or 3D kernel): calibrated by `model.quantize`
  (`neokeras.quantizers.gptq` / `awq`). The kernel, seen as a `(rows, columns)` matrix, is
  stored transposed as unsigned integers (`quantized_kernel`, 4-bit values packed two per byte
  along the columns) with a scale and zero point per column and group of rows (`g_idx` gives
  each row's group); AWQ also divides each row by its `awq_scales`. Until calibrated, the
  float kernel computes.

Embedding quantizes each embedding row (one scale per vocabulary entry).
"""

import math
import re
import string
import types

import numpy as np

from neokeras import ops
from neokeras.quantizers import quantizers
from neokeras.quantizers.quantization_config import QUANTIZATION_MODES
from neokeras.quantizers.quantization_config import Int4QuantizationConfig
from neokeras.quantizers.quantization_config import QuantizationConfig
from neokeras.quantizers.quantization_config import block_size_for_layer
from neokeras.quantizers.quantization_config import validate_and_resolve_config

# The order in which a quantized layer's variables are written to files (Keras's layout).
_MATMUL_SPEC = {
    "int8": ("kernel", "bias", "kernel_scale"),
    "int4": ("kernel", "bias", "kernel_scale", "kernel_zero", "g_idx"),
    "float8": ("kernel", "bias", "inputs_scale", "inputs_amax_history", "kernel_scale",
               "kernel_amax_history", "outputs_grad_scale", "outputs_grad_amax_history"),
    "gptq": ("bias", "quantized_kernel", "kernel_scale", "kernel_zero", "g_idx"),
    "awq": ("bias", "quantized_kernel", "kernel_scale", "kernel_zero", "awq_scales", "g_idx"),
}
_CALIBRATED = ("gptq", "awq")
_EMBEDDING_SPEC = {
    "int8": ("embeddings", "embeddings_scale"),
    "int4": ("embeddings", "embeddings_scale", "embeddings_zero", "g_idx"),
}


def _kind(layer):
    from neokeras.layers.core.dense import Dense
    from neokeras.layers.core.einsum_dense import EinsumDense
    from neokeras.layers.core.embedding import Embedding

    for cls, name in ((Dense, "dense"), (EinsumDense, "einsum"), (Embedding, "embedding")):
        if isinstance(layer, cls):
            return name, cls
    raise NotImplementedError(f"Layer {type(layer).__name__} does not have a `quantize` method "
                              "implemented.")


def _modes(layer):
    return _EMBEDDING_SPEC if _kind(layer)[0] == "embedding" else _MATMUL_SPEC


def _mode_error(layer, mode):
    allowed = tuple(_modes(layer))
    return NotImplementedError(f"Invalid quantization mode for {type(layer).__name__} "
                               f"'{layer.name}'. Expected one of {allowed}. Received: "
                               f"quantization_mode={mode}")


# ---------------------------------------------------------------------------------- config
def config_from_argument(config):
    """A layer's `quantization_config` argument: None, a config, or its serialized dict."""
    if config is None or isinstance(config, QuantizationConfig):
        return config
    if isinstance(config, dict):
        from neokeras.saving.serialization import deserialize_keras_object

        return deserialize_keras_object(config)
    raise ValueError("`quantization_config` must be a keras.quantizers.QuantizationConfig or "
                     f"None. Received: quantization_config={config!r}")


def serialize_config(layer):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(layer.quantization_config)


def stored_kernel(layer):
    """The main matrix of a quantized layer as its `kernel`/`embeddings` property gives it:
    the int8 values, int4 values unpacked, or the float kernel (float8), plus the LoRA update
    (in the compute dtype) when LoRA is enabled, as Keras gives it."""
    matrix = _stored_matrix(layer)
    if getattr(layer, "lora_enabled", False):
        from neokeras.layers.core import lora

        matrix = ops.cast(ops.add(matrix, lora.update(layer)), layer.compute_dtype)
    return matrix


def _stored_matrix(layer):
    if _kind(layer)[0] == "embedding":
        if layer.quantization_mode == "int4":
            return quantizers.unpack_int4(layer._embeddings, layer._orig_output_dim, axis=-1)
        return layer._embeddings
    if layer.quantization_mode in _CALIBRATED:
        if not is_calibrated(layer):
            return layer._kernel
        if layer._calibrated_bits == 4:
            return quantizers.unpack_int4(layer.quantized_kernel, layer.kernel_scale.shape[0],
                                          axis=0, dtype="uint8")
        return layer.quantized_kernel
    if layer.quantization_mode == "int4":
        shape = layer._orig_kernel_shape
        unpacked = quantizers.unpack_int4(layer._kernel, layer.kernel_scale.shape[-1], axis=-1)
        return ops.reshape(unpacked, shape)
    return layer._kernel


# ---------------------------------------------------------------------------------- quantize
def quantize(layer, mode=None, type_check=True, config=None):
    """`layer.quantize(mode, config=...)`: quantizes the weights of a built layer in place."""
    config = validate_and_resolve_config(mode, config)
    mode = config.mode
    kind, cls = _kind(layer)
    if type_check and type(layer) is not cls:
        raise NotImplementedError(f"Layer {type(layer).__name__} does not have a `quantize` "
                                  "method implemented.")
    if not layer.built:
        raise ValueError(f"Cannot quantize a layer that isn't yet built. Layer '{layer.name}' "
                         f"(of type '{type(layer).__name__}') is not built yet.")
    if getattr(layer, "_is_quantized", False):
        raise ValueError(f"Layer '{layer.name}' is already quantized with "
                         f"dtype_policy='{layer.dtype_policy.name}'. Received: mode={mode}")
    if mode == "int8" and layer.compute_dtype == "float16":
        raise ValueError(f"Quantization mode='{mode}' doesn't work well with "
                         "compute_dtype='float16'. Consider loading model/layer with another "
                         "dtype policy such as 'mixed_bfloat16' or 'mixed_float16' before "
                         "calling `quantize()`.")
    if mode not in _modes(layer):
        raise _mode_error(layer, mode)
    if getattr(layer, "lora_enabled", False) and mode in _CALIBRATED:
        # Keras 3.15.1 would calibrate the frozen matrix and then ignore the update.
        raise ValueError(f"{type(layer).__name__} '{layer.name}': {mode.upper()} quantization "
                         "of a layer with LoRA enabled is not supported; merge the update "
                         "first (save and reload the model, or quantize before enable_lora).")
    layer.quantization_config = config
    if mode in _CALIBRATED:
        # The float kernel stays (and serves the forward pass) until `model.quantize`
        # calibrates the layer.
        build(layer, tuple(layer._kernel.shape), mode, config)
    elif kind == "embedding":
        _quantize_embedding(layer, mode, config)
    else:
        _quantize_matmul(layer, kind, mode, config)
    if layer._effective_dtype_policy.quantization_mode is None:
        name = mode
        if mode == "int4":
            block_size = block_size_for_layer(layer, config)
            name = f"int4/{-1 if block_size is None else block_size}"
        elif mode in _CALIBRATED:
            name = config.dtype_policy_string()
        layer.dtype_policy = f"{name}_from_{layer.dtype_policy.name}"


def _forget(layer, variable):
    for group in (layer._trainable_variables, layer._non_trainable_variables):
        for i, v in enumerate(group):
            if v is variable:
                del group[i]
                break


def _pack_shape(shape):
    return tuple(shape[:-1]) + ((shape[-1] + 1) // 2,)


def _quantize_matmul(layer, kind, mode, config):
    float_kernel = layer._kernel
    kernel_shape = tuple(float_kernel.shape)
    if mode == "float8":
        build(layer, kernel_shape, mode, config)
        return
    block_size = config.block_size if isinstance(config, Int4QuantizationConfig) else None
    values, scale, zero = _quantized_values(layer, kind, mode, float_kernel, config, block_size)
    _forget(layer, float_kernel)
    del layer._kernel
    build(layer, kernel_shape, mode, config)
    layer._kernel.assign(values)
    layer.kernel_scale.assign(scale)
    if zero is not None:
        layer.kernel_zero.assign(zero)


def _quantize_embedding(layer, mode, config):
    table = layer._embeddings
    shape = tuple(table.shape)
    block_size = config.block_size if isinstance(config, Int4QuantizationConfig) else None
    values, scale, zero = _quantized_values(layer, "embedding", mode, table, config, block_size)
    _forget(layer, table)
    del layer._embeddings
    build(layer, shape, mode, config)
    layer._embeddings.assign(values)
    layer.embeddings_scale.assign(scale)
    if zero is not None:
        layer.embeddings_zero.assign(zero)


def _quantized_values(layer, kind, mode, matrix, config, block_size):
    """`(values, scale, zero)` of a float main matrix in the stored layout (int4 packed;
    `zero` only for grouped int4). `config`'s weight quantizer, if any, replaces the default
    per-channel one."""
    default_range = (-127, 127) if mode == "int8" else (-8, 7)
    grouped = mode == "int4" and block_size is not None and block_size != -1
    zero = None
    if kind == "embedding":
        # One scale per embedding row; groups run along the embedding dimension.
        if grouped:
            values, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(
                ops.transpose(matrix), block_size=block_size, to_numpy=True)
            values, scale, zero = (ops.transpose(values), ops.transpose(scale),
                                   ops.transpose(zero))
        else:
            weight_quantizer = QuantizationConfig.weight_quantizer_or_default(
                config, quantizers.AbsMaxQuantizer(axis=-1, value_range=default_range))
            values, scale = weight_quantizer(matrix, to_numpy=True)
            scale = ops.squeeze(scale, axis=-1)
    elif mode == "int8":
        reduced = (0,) if kind == "dense" else \
            tuple(layer._quantization_info()["kernel_reduced_axes"])
        weight_quantizer = QuantizationConfig.weight_quantizer_or_default(
            config, quantizers.AbsMaxQuantizer(axis=reduced))
        values, scale = weight_quantizer(matrix, to_numpy=True)
        scale = _scale_to_output_layout(layer, scale) if kind == "einsum" \
            else ops.squeeze(scale, axis=0)
    else:
        reduced = (0,) if kind == "dense" else \
            tuple(layer._quantization_info()["kernel_reduced_axes"])
        # Keras flattens an einsum kernel with a plain reshape (rows: the product of the
        # reduced sizes), whatever the axis order; files depend on it.
        flat = ops.reshape(matrix, _flat_2d(tuple(matrix.shape), reduced))
        if grouped:
            values, scale, zero = quantizers.abs_max_quantize_grouped_with_zero_point(
                flat, block_size=block_size, to_numpy=True)
        else:
            weight_quantizer = QuantizationConfig.weight_quantizer_or_default(
                config, quantizers.AbsMaxQuantizer(axis=0, value_range=default_range))
            values, scale = weight_quantizer(flat, to_numpy=True)
            scale = ops.squeeze(scale, axis=0)
    if mode == "int4":
        values = quantizers.pack_int4(values, axis=-1)[0]
    return values, scale, zero


def _dequantized_matrix(layer, kind):
    """The float main matrix (original shape) an int8/int4 layer computes with."""
    compute_dtype = layer.compute_dtype
    if kind == "embedding":
        values, scale = layer._embeddings, layer.embeddings_scale
        if layer.quantization_mode == "int4":
            values = quantizers.unpack_int4(values, layer._orig_output_dim, axis=-1)
            block_size = layer._int4_block_size
            if block_size is not None and block_size != -1:
                return quantizers.dequantize_with_sz_map(
                    ops.cast(values, compute_dtype), scale, layer.embeddings_zero, layer.g_idx,
                    group_axis=-1)
        return ops.divide(ops.cast(values, compute_dtype), ops.expand_dims(scale, -1))
    if layer.quantization_mode == "int8":
        scale = layer.kernel_scale if kind == "dense" else \
            _scale_to_kernel_layout(layer._quantization_info(), layer.kernel_scale)
        return ops.divide(ops.cast(layer._kernel, compute_dtype), scale)
    shape = layer._orig_kernel_shape
    reduced = (0,) if kind == "dense" else tuple(layer._quantization_info()["kernel_reduced_axes"])
    unpacked = quantizers.unpack_int4(layer._kernel, _flat_2d(shape, reduced)[1], axis=-1)
    block_size = layer._int4_block_size
    if block_size is not None and block_size != -1:
        matrix = quantizers.dequantize_with_sz_map(unpacked, layer.kernel_scale,
                                                   layer.kernel_zero, layer.g_idx, group_axis=0)
    else:
        matrix = ops.divide(ops.cast(unpacked, compute_dtype), layer.kernel_scale)
    return ops.reshape(ops.cast(matrix, compute_dtype), shape)


def _merged_entries(layer):
    """`{name: value}` of the main matrix, its scale and zero point as files hold them: with
    LoRA enabled, the dequantized matrix plus the update, re-quantized (Keras's
    default quantizers, the layer's block size)."""
    kind = _kind(layer)[0]
    main = "embeddings" if kind == "embedding" else "kernel"
    if not getattr(layer, "lora_enabled", False) or layer.quantization_mode not in ("int8",
                                                                                     "int4"):
        return {}
    from neokeras.layers.core import lora

    merged = ops.add(_dequantized_matrix(layer, kind), lora.update(layer))
    values, scale, zero = _quantized_values(layer, kind, layer.quantization_mode, merged, None,
                                            getattr(layer, "_int4_block_size", None))
    entries = {main: values, f"{main}_scale": scale}
    if zero is not None:
        entries[f"{main}_zero"] = zero
    return entries


# ---------------------------------------------------------------------------------- build
def build(layer, shape, mode, config=None):
    """Creates the quantized variables of `layer` for a float matrix of `shape`."""
    kind = _kind(layer)[0]
    if mode not in _modes(layer):
        raise _mode_error(layer, mode)
    if mode in _CALIBRATED:
        _build_calibrated(layer, kind, shape, mode, config)
    elif kind == "embedding":
        _build_embedding(layer, shape, mode, config)
    elif mode == "float8":
        _build_float8(layer)
    else:
        _build_matmul(layer, kind, shape, mode, config)
    layer._is_quantized = True
    layer.save_own_variables = types.MethodType(_save_own_variables, layer)
    layer.load_own_variables = types.MethodType(_load_own_variables, layer)


def calibrated_matrix_shape(layer, shape, mode):
    """The `(rows, columns)` matrix GPTQ/AWQ see a kernel as: a Dense kernel as it is; a 3D
    einsum kernel with its longest axis taken as the model width, as Keras decides it
    (`(in, heads, head_dim)` when it is first, else `(heads, head_dim, out)`)."""
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    if len(shape) != 3:
        raise ValueError(f"{type(layer).__name__} '{layer.name}': {mode.upper()} quantization "
                         f"only supports 2D or 3D kernels. Received kernel shape {shape}.")
    if list(shape).index(max(shape)) == 0:
        return int(shape[0]), int(shape[1] * shape[2])
    return int(shape[0] * shape[1]), int(shape[2])


def is_calibrated(layer):
    return bool(getattr(layer, f"is_{layer.quantization_mode}_calibrated", False))


def _calibrated_setting(layer, config, mode, name):
    """`weight_bits`/`group_size` of a GPTQ/AWQ layer: from its config, else its dtype policy."""
    from neokeras.quantizers.calibrated_configs import AWQConfig
    from neokeras.quantizers.calibrated_configs import GPTQConfig

    if isinstance(config, {"gptq": GPTQConfig, "awq": AWQConfig}[mode]):
        return getattr(config, name)
    policy = layer._effective_dtype_policy
    if getattr(policy, "quantization_mode", None) != mode:
        raise ValueError(f"{type(layer).__name__} '{layer.name}': for {mode.upper()} "
                         f"quantization, the {name} must be given by a {mode.upper()}Config or "
                         f"a {mode.upper()}DTypePolicy; got dtype policy {policy.name!r}.")
    return getattr(policy, name)


def _build_calibrated(layer, kind, shape, mode, config):
    rows, columns = calibrated_matrix_shape(layer, shape, mode)
    bits = 4 if mode == "awq" else _calibrated_setting(layer, config, mode, "weight_bits")
    group_size = _calibrated_setting(layer, config, mode, "group_size")
    # Built from a config (to load a file), the layer has no float kernel to calibrate.
    setattr(layer, f"is_{mode}_calibrated", getattr(layer, "_kernel", None) is None)
    layer._calibrated_bits = bits
    layer._orig_kernel_shape = tuple(shape)
    if kind == "einsum" and mode == "gptq":
        layer.gptq_unpacked_column_size = columns
    # Transposed (columns, rows); 4-bit values packed two per byte along the columns.
    packed = (columns + 1) // 2 if bits == 4 else columns
    layer.quantized_kernel = layer.add_weight(name="kernel", shape=(packed, rows),
                                              initializer="zeros", dtype="uint8",
                                              trainable=False)
    groups = 1 if group_size == -1 else math.ceil(rows / group_size)
    layer.kernel_scale = _scale_weight(layer, "kernel_scale", (columns, groups))
    # Keras names an einsum layer's zero points "zero_point" (the attribute is the same).
    layer.kernel_zero = layer.add_weight(
        name="kernel_zero" if kind == "dense" else "zero_point", shape=(columns, groups),
        initializer="zeros", dtype="uint8", trainable=False)
    if mode == "awq":
        layer.awq_scales = _scale_weight(layer, "awq_scales", (rows,))
    layer.g_idx = layer.add_weight(name="g_idx", shape=(rows,), initializer="zeros",
                                   dtype="float32", trainable=False)


def finish_calibration(layer, quantized, scale, zero, g_idx, awq_scales=None):
    """Stores the GPTQ/AWQ result in a layer and drops its float kernel."""
    layer.quantized_kernel.assign(quantized)
    layer.kernel_scale.assign(scale)
    layer.kernel_zero.assign(zero)
    if awq_scales is not None:
        layer.awq_scales.assign(awq_scales)
    layer.g_idx.assign(g_idx)
    _forget(layer, layer._kernel)
    del layer._kernel
    setattr(layer, f"is_{layer.quantization_mode}_calibrated", True)


def _calibrated_kernel(layer):
    """The dequantized float kernel (original shape) of a calibrated GPTQ/AWQ layer."""
    values = layer.quantized_kernel
    if layer._calibrated_bits == 4:
        values = quantizers.unpack_int4(values, layer.kernel_scale.shape[0], axis=0,
                                        dtype="uint8")
    values = ops.cast(values, layer.kernel_scale.dtype)
    kernel = ops.transpose(quantizers.dequantize_with_sz_map(
        values, layer.kernel_scale, layer.kernel_zero, layer.g_idx))
    if layer.quantization_mode == "awq":
        # The rows were multiplied by their AWQ scale before quantization.
        kernel = ops.divide(kernel, ops.expand_dims(layer.awq_scales, -1))
    return ops.reshape(kernel, layer._orig_kernel_shape)


def _int_weight(layer, name, shape):
    return layer.add_weight(name=name, shape=shape, initializer="zeros", dtype="int8",
                            trainable=False)


def _scale_weight(layer, name, shape):
    return layer.add_weight(name=name, shape=shape, initializer="ones", trainable=False)


def _group_index(layer, length, block_size):
    index = np.floor_divide(np.arange(length, dtype="float32"), block_size)
    return layer.add_weight(name="g_idx", shape=(length,), dtype="float32", trainable=False,
                            initializer=lambda shape, dtype=None: ops.convert_to_tensor(index))


def _build_matmul(layer, kind, shape, mode, config):
    if mode == "int8":
        layer.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(
            config, quantizers.AbsMaxQuantizer())
        layer._kernel = _int_weight(layer, "kernel", shape)
        scale_shape = (shape[-1],) if kind == "dense" else _einsum_scale_shape(layer, shape)
        layer.kernel_scale = _scale_weight(layer, "kernel_scale", scale_shape)
        return
    layer.inputs_quantizer = QuantizationConfig.activation_quantizer_or_default(config, None)
    reduced = (0,) if kind == "dense" else tuple(layer._quantization_info()["kernel_reduced_axes"])
    rows, columns = _flat_2d(shape, reduced)
    layer._kernel = _int_weight(layer, "kernel", _pack_shape((rows, columns)))
    block_size = block_size_for_layer(layer, config)
    layer._int4_block_size = block_size
    layer._orig_kernel_shape = tuple(shape)
    if block_size is None or block_size == -1:
        layer.kernel_scale = _scale_weight(layer, "kernel_scale", (columns,))
        return
    groups = (math.ceil(rows / block_size), columns)
    layer.kernel_scale = _scale_weight(layer, "kernel_scale", groups)
    layer.kernel_zero = _int_weight(layer, "kernel_zero", groups)
    layer.g_idx = _group_index(layer, rows, block_size)


def _build_float8(layer):
    length = getattr(layer._effective_dtype_policy, "amax_history_length", 1024)
    for prefix in ("inputs", "kernel", "outputs_grad"):
        # Trainable so that the training step hands them their "gradients", which are the
        # new scales and histories (they replace the values instead of being applied).
        options = {"dtype": "float32", "trainable": True, "autocast": False,
                   "overwrite_with_gradient": True}
        scale = layer.add_weight(name=f"{prefix}_scale", shape=(), initializer="ones",
                                 **options)
        history = layer.add_weight(name=f"{prefix}_amax_history", shape=(length,),
                                   initializer="zeros", **options)
        setattr(layer, f"{prefix}_scale", scale)
        setattr(layer, f"{prefix}_amax_history", history)


def _build_embedding(layer, shape, mode, config):
    input_dim, output_dim = shape
    if mode == "int8":
        layer._embeddings = _int_weight(layer, "embeddings", shape)
        layer.embeddings_scale = _scale_weight(layer, "embeddings_scale", (input_dim,))
        return
    layer._embeddings = _int_weight(layer, "embeddings", _pack_shape(shape))
    block_size = block_size_for_layer(layer, config)
    layer._int4_block_size = block_size
    layer._orig_output_dim = output_dim
    if block_size is None or block_size == -1:
        layer.embeddings_scale = _scale_weight(layer, "embeddings_scale", (input_dim,))
        return
    groups = (input_dim, math.ceil(output_dim / block_size))
    layer.embeddings_scale = _scale_weight(layer, "embeddings_scale", groups)
    layer.embeddings_zero = _int_weight(layer, "embeddings_zero", groups)
    layer.g_idx = _group_index(layer, output_dim, block_size)


def _flat_2d(shape, reduced):
    rows = int(np.prod([d for i, d in enumerate(shape) if i in reduced]))
    columns = int(np.prod([d for i, d in enumerate(shape) if i not in reduced]))
    return rows, columns


# ---------------------------------------------------------------------------------- saving
def _spec(layer):
    return _modes(layer)[layer.quantization_mode]


def _entries(layer):
    """(name, variable) pairs in file order; absent optional variables are skipped."""
    result = []
    for name in _spec(layer):
        attribute = {"kernel": "_kernel", "embeddings": "_embeddings"}.get(name, name)
        variable = getattr(layer, attribute, None)
        if variable is not None:
            result.append((name, variable))
    return result


def _save_own_variables(layer, store):
    merged = _merged_entries(layer)
    for index, (name, variable) in enumerate(_entries(layer)):
        store[str(index)] = np.asarray(merged[name] if name in merged else variable.numpy())


def _load_own_variables(layer, store):
    entries = _entries(layer)
    if len(store) != len(entries):
        raise ValueError(f"{type(layer).__name__} '{layer.name}' ({layer.quantization_mode}) has "
                         f"{len(entries)} saved variables ({[n for n, _ in entries]}), but the "
                         f"file holds {len(store)}.")
    for index, (name, variable) in enumerate(entries):
        value = np.asarray(store[str(index)])
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(f"{type(layer).__name__} '{layer.name}': variable '{name}' has "
                             f"shape {tuple(variable.shape)}, but the file holds "
                             f"{tuple(value.shape)}.")
        variable.assign(value.astype(variable.dtype))
    if layer.quantization_mode in _CALIBRATED:
        setattr(layer, f"is_{layer.quantization_mode}_calibrated", True)
    if getattr(layer, "lora_enabled", False):
        from neokeras.layers.core import lora

        lora.reset(layer)


# ---------------------------------------------------------------------------------- call
def call(layer, inputs, training=None):
    """The quantized forward pass of `layer`."""
    kind = _kind(layer)[0]
    mode = layer.quantization_mode
    if training is None:
        # The layers' float `call` takes no `training`: read the one of the enclosing call.
        from neokeras.layers.layer import _current_call_context

        context = _current_call_context()
        training = bool(context.training) if context is not None else False
    lora_enabled = getattr(layer, "lora_enabled", False)
    if kind == "embedding":
        if str(inputs.dtype) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        x = _embedding_call(layer, inputs, mode)
        return _add_lora(layer, kind, inputs, x) if lora_enabled else x
    if mode == "float8":
        if lora_enabled:
            raise NotImplementedError(f"{type(layer).__name__} '{layer.name}': float8 "
                                      "quantized layers cannot compute with LoRA (Keras: "
                                      "\"Currently, `_float8_call` doesn't support LoRA\").")
        x = _float8_matmul(layer, inputs, training)
    elif mode == "int8":
        x = _int8_matmul(layer, kind, inputs)
    elif mode == "int4":
        x = _int4_matmul(layer, kind, inputs)
    elif mode in _CALIBRATED:
        kernel = _calibrated_kernel(layer) if is_calibrated(layer) else layer._kernel
        x = _contract(layer, kind, inputs, ops.cast(kernel, inputs.dtype))
    else:
        raise _mode_error(layer, mode)
    if lora_enabled:
        x = _add_lora(layer, kind, inputs, x)
    if layer.bias is not None:
        bias = layer.bias
        if mode == "float8" and layer.compute_dtype == "float32":
            # Keras rounds the bias through bfloat16 here (for XLA's fused bias-add).
            bias = ops.cast(ops.cast(bias, "bfloat16"), bias.dtype)
        x = ops.add(x, bias)
    return layer.activation(x) if layer.activation is not None else x


def _add_lora(layer, kind, inputs, x):
    """`x + (alpha / rank) * (inputs through A) @ B`, with the float inputs."""
    from neokeras.layers.core import lora

    a, b = lora.factors(layer)
    if kind == "embedding":
        low = ops.take(a, inputs, axis=0)
    else:
        low = _contract(layer, kind, inputs, a)
    update = ops.multiply(layer.lora_alpha / layer.lora_rank, ops.matmul(low, b))
    return ops.cast(ops.add(x, update), layer.compute_dtype)


def _contract(layer, kind, x, kernel):
    return ops.matmul(x, kernel) if kind == "dense" else ops.einsum(layer.equation, x, kernel)


def _contract_transposed(layer, kind, upstream, kernel):
    """The input gradient of the contraction with a float kernel."""
    if kind == "dense":
        return ops.matmul(upstream, ops.transpose(kernel))
    return ops.einsum(layer._quantization_info()["gradient_equation"], upstream, kernel)


def _int8_matmul(layer, kind, inputs):
    compute_dtype = layer.compute_dtype
    info = layer._quantization_info() if kind == "einsum" else None

    def dequantized(kernel, kernel_scale):
        scale = kernel_scale if kind == "dense" else _scale_to_kernel_layout(info, kernel_scale)
        return ops.divide(ops.cast(kernel, compute_dtype), scale)

    @ops.custom_gradient
    def forward(x, kernel, kernel_scale):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return (_contract_transposed(layer, kind, upstream,
                                         dequantized(kernel, kernel_scale)), None, None)

        scale = kernel_scale
        if layer.inputs_quantizer:
            axis = -1 if kind == "dense" else tuple(info["input_reduced_axes"])
            x, inputs_scale = layer.inputs_quantizer(x, axis=axis)
            if kind == "einsum":
                inputs_scale = _adjust(inputs_scale, info["input_transpose_axes"],
                                       info["input_expand_axes"], info["input_squeeze_axes"])
            scale = ops.multiply(inputs_scale, scale)
        y = ops.cast(_contract(layer, kind, x, kernel), compute_dtype)
        return ops.divide(y, scale), grad

    return forward(inputs, ops.convert_to_tensor(layer._kernel),
                   ops.convert_to_tensor(layer.kernel_scale))


def _int4_matmul(layer, kind, inputs):
    compute_dtype = layer.compute_dtype
    block_size = layer._int4_block_size
    shape = layer._orig_kernel_shape
    info = layer._quantization_info() if kind == "einsum" else None
    reduced = (0,) if kind == "dense" else tuple(info["kernel_reduced_axes"])
    columns = _flat_2d(shape, reduced)[1]
    grouped = block_size is not None and block_size != -1

    def float_kernel(unpacked, scale, zero=None, g_idx=None):
        if grouped:
            w = quantizers.dequantize_with_sz_map(unpacked, scale, zero, g_idx, group_axis=0)
        else:
            w = ops.divide(ops.cast(unpacked, compute_dtype), scale)
        # An einsum kernel was flattened to 2D by a plain reshape (as Keras does).
        return ops.reshape(ops.cast(w, compute_dtype), shape)

    extra = (layer.kernel_zero, layer.g_idx) if grouped else ()

    @ops.custom_gradient
    def forward(x, kernel, kernel_scale, *group_vars):
        unpacked = quantizers.unpack_int4(kernel, columns, axis=-1)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            w = float_kernel(unpacked, kernel_scale, *group_vars)
            return (_contract_transposed(layer, kind, upstream, w), None, None) + \
                (None,) * len(group_vars)

        if grouped or not layer.inputs_quantizer:
            w = float_kernel(unpacked, kernel_scale, *group_vars)
            return _contract(layer, kind, x, w), grad
        if kind == "dense":
            # Per channel with quantized inputs: an integer product, rescaled once.
            x, inputs_scale = layer.inputs_quantizer(x, axis=-1)
            y = ops.cast(ops.matmul(x, unpacked), compute_dtype)
            return ops.divide(y, ops.multiply(kernel_scale, inputs_scale)), grad
        x, inputs_scale = layer.inputs_quantizer(x, axis=tuple(info["input_reduced_axes"]))
        inputs_scale = _adjust(inputs_scale, info["input_transpose_axes"],
                               info["input_expand_axes"], info["input_squeeze_axes"])
        y = ops.einsum(layer.equation, x, float_kernel(unpacked, kernel_scale))
        return ops.divide(ops.cast(y, compute_dtype), inputs_scale), grad

    return forward(inputs, ops.convert_to_tensor(layer._kernel),
                   ops.convert_to_tensor(layer.kernel_scale),
                   *[ops.convert_to_tensor(v) for v in extra])


_E4M3_MAX = 448.0
_E5M2_MAX = 57344.0


def _float8_matmul(layer, inputs, training):
    compute_dtype = layer.compute_dtype

    @ops.custom_gradient
    def qdq_inputs(x, scale, history):
        if training:
            new_scale = quantizers.compute_float8_scale(ops.max(history, axis=0), scale,
                                                        ops.cast(_E4M3_MAX, "float32"))
            new_history = quantizers.compute_float8_amax_history(x, history)
        else:
            new_scale = new_history = None
        y = quantizers.quantize_and_dequantize(x, scale, "float8_e4m3fn", compute_dtype)

        def grad(*args, upstream=None, variables=None):
            if upstream is None:
                (upstream,) = args
            return upstream, new_scale, new_history

        return y, grad

    @ops.custom_gradient
    def qdq_output_grad(y, scale, history):
        def grad(*args, upstream=None, variables=None):
            if upstream is None:
                (upstream,) = args
            new_scale = quantizers.compute_float8_scale(ops.max(history, axis=0), scale,
                                                        ops.cast(_E5M2_MAX, "float32"))
            qdq = quantizers.quantize_and_dequantize(upstream, scale, "float8_e5m2",
                                                     compute_dtype)
            return qdq, new_scale, quantizers.compute_float8_amax_history(upstream, history)

        return y, grad

    kind = _kind(layer)[0]
    x = qdq_inputs(inputs, ops.convert_to_tensor(layer.inputs_scale),
                   ops.convert_to_tensor(layer.inputs_amax_history))
    w = qdq_inputs(ops.convert_to_tensor(layer._kernel), ops.convert_to_tensor(layer.kernel_scale),
                   ops.convert_to_tensor(layer.kernel_amax_history))
    y = _contract(layer, kind, x, w)
    return qdq_output_grad(y, ops.convert_to_tensor(layer.outputs_grad_scale),
                           ops.convert_to_tensor(layer.outputs_grad_amax_history))


def _embedding_call(layer, inputs, mode):
    if str(inputs.dtype) not in ("int32", "int64"):
        inputs = ops.cast(inputs, "int32")
    compute_dtype = layer.compute_dtype
    scale = ops.take(layer.embeddings_scale, inputs, axis=0)
    if mode == "int8":
        rows = ops.take(layer._embeddings, inputs, axis=0)
        return ops.divide(ops.cast(rows, compute_dtype), ops.expand_dims(scale, -1))
    unpacked = quantizers.unpack_int4(layer._embeddings, layer._orig_output_dim, axis=-1)
    rows = ops.take(unpacked, inputs, axis=0)
    block_size = layer._int4_block_size
    if block_size is None or block_size == -1:
        return ops.divide(ops.cast(rows, compute_dtype), ops.expand_dims(scale, -1))
    zero = ops.take(layer.embeddings_zero, inputs, axis=0)
    return quantizers.dequantize_with_sz_map(ops.cast(rows, compute_dtype), scale, zero,
                                             layer.g_idx, group_axis=-1)


# ---------------------------------------------------------------------------------- einsum
def einsum_quantization_info(equation, ndim):
    """Which axes an einsum layer's quantizers reduce, and how their scales are laid out to
    broadcast against the output (transpose, then expand, then squeeze)."""
    in_spec, w_spec, out_spec = _einsum_specs(equation, ndim)
    in_reduced = [i for i, c in enumerate(in_spec) if c not in out_spec]
    w_reduced = [i for i, c in enumerate(w_spec) if c not in out_spec]
    in_expand = [i for i, c in enumerate(out_spec) if c not in in_spec]
    w_expand = [i for i, c in enumerate(out_spec) if c not in w_spec]
    in_transpose = [in_spec.index(c) for c in out_spec if c in in_spec]
    w_transpose = [w_spec.index(c) for c in out_spec if c in w_spec]
    # A reduced axis takes the place of an output axis that the tensor lacks (it becomes a
    # size-1 axis there); with none left, it is squeezed. Keras reuses the last position when
    # none is left, and so do we, to lay scales out identically.
    position = out_spec.find(w_spec[-1])
    in_squeeze, w_squeeze = [], []
    for reduced, expand, transpose, squeeze in ((in_reduced, in_expand, in_transpose, in_squeeze),
                                                (w_reduced, w_expand, w_transpose, w_squeeze)):
        for axis in reduced:
            if expand:
                position = expand.pop(0)
            else:
                squeeze.append(axis)
            transpose.insert(position, axis)
    return {"input_reduced_axes": in_reduced, "kernel_reduced_axes": w_reduced,
            "input_transpose_axes": in_transpose, "kernel_transpose_axes": w_transpose,
            "input_expand_axes": in_expand, "kernel_expand_axes": w_expand,
            "input_squeeze_axes": in_squeeze, "kernel_squeeze_axes": w_squeeze,
            "gradient_equation": f"{out_spec},{w_spec}->{in_spec}"}


def _einsum_specs(equation, ndim):
    eq = equation.replace(" ", "").replace("...", "0")
    plain = re.fullmatch(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", eq)
    if plain:
        return plain.groups()
    left = re.fullmatch(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", eq)
    right = re.fullmatch(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", eq)
    match = left or right
    if match is None:
        raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the form "
                         "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    in_spec, w_spec, out_spec = match.groups()
    free = sorted(set(string.ascii_letters) - set(in_spec + w_spec + out_spec))
    for label in free[:ndim - len(in_spec)]:
        if left:
            in_spec, out_spec = label + in_spec, label + out_spec
        else:
            in_spec, out_spec = in_spec + label, out_spec + label
    return in_spec, w_spec, out_spec


def _adjust(scale, transpose, expand, squeeze):
    if transpose:
        scale = ops.transpose(scale, transpose)
    if expand:
        scale = ops.expand_dims(scale, axis=tuple(expand))
    if squeeze:
        scale = ops.squeeze(scale, axis=tuple(squeeze))
    return scale


def _scale_to_output_layout(layer, scale):
    info = layer._quantization_info()
    return _adjust(scale, info["kernel_transpose_axes"], info["kernel_expand_axes"],
                   info["kernel_squeeze_axes"])


def _scale_to_kernel_layout(info, scale):
    if info["kernel_squeeze_axes"]:
        scale = ops.expand_dims(scale, axis=tuple(info["kernel_squeeze_axes"]))
    if info["kernel_expand_axes"]:
        scale = ops.squeeze(scale, axis=tuple(info["kernel_expand_axes"]))
    transpose = info["kernel_transpose_axes"]
    if transpose:
        scale = ops.transpose(scale, sorted(range(len(transpose)), key=transpose.__getitem__))
    return scale


def _einsum_scale_shape(layer, kernel_shape):
    info = layer._quantization_info()
    shape = np.array(kernel_shape)
    shape[info["kernel_reduced_axes"]] = 1
    shape = shape[info["kernel_transpose_axes"]].tolist()
    for axis in sorted(info["kernel_expand_axes"]):
        shape.insert(axis, 1)
    for axis in sorted(info["kernel_squeeze_axes"], reverse=True):
        shape.pop(axis)
    return tuple(shape)


__all__ = ["QUANTIZATION_MODES", "build", "call", "einsum_quantization_info", "quantize"]
