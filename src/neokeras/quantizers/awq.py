"""AWQ calibration: `model.quantize("awq", config=AWQConfig(...))`.

Activation-aware weight quantization: the largest absolute input each input channel (row of
the kernel) sees on the calibration data measures how much its weights matter. Rows are
multiplied by `s = x_max ** ratio` (normalized by the geometric mean of its extremes) before
4-bit asymmetric quantization, which gives the salient rows more of the quantization grid, and
divided by `s` again when the kernel is rebuilt. The ratio is picked on a grid over `[0, 1]`
to minimize the quantization error of each row weighted by `x_max ** 2`.
"""

from neokeras import ops
from neokeras.quantizers import calibration
from neokeras.quantizers import quantizers

_BITS = 4


class _Magnitudes:
    """Running per-input-channel maximum of `|x|` over a layer's inputs."""

    def __init__(self, rows):
        self.rows = rows
        self.value = ops.zeros((rows,), dtype="float32")

    def update(self, inputs):
        x = ops.cast(ops.reshape(inputs, (-1, self.rows)), "float32")
        self.value = ops.maximum(self.value, ops.max(ops.abs(x), axis=0))


def _quantize_parameters(weights, group_size):
    return quantizers.compute_quantization_parameters(
        weights, bits=_BITS, symmetric=False, per_channel=True, group_size=group_size)


def _round(weights, scale, zero, maxq):
    """Unsigned levels `clip(round(w / scale + zero), 0, maxq)` (floats)."""
    safe_scale = ops.where(ops.equal(scale, 0), ops.cast(1e-8, scale.dtype), scale)
    levels = ops.round(ops.add(ops.divide(weights, safe_scale), ops.cast(zero, scale.dtype)))
    return ops.clip(levels, 0, maxq)


def _group_index(in_features, group_size):
    if group_size == -1:
        return ops.zeros((in_features,), dtype="int32")
    return ops.floor_divide(ops.arange(in_features, dtype="int32"), group_size)


def _quantize(weights, group_size):
    """`(levels, scale, zero, g_idx)` of `weights` `(out, in)` quantized per row and group."""
    scale, zero, maxq = _quantize_parameters(weights, group_size)
    g_idx = _group_index(int(weights.shape[1]), group_size)
    levels = _round(weights, ops.take(scale, g_idx, axis=-1), ops.take(zero, g_idx, axis=-1),
                    maxq)
    return levels, scale, zero, g_idx


def search_scales(weights, magnitudes, num_grid_points=20, group_size=-1):
    """The per-input-channel scales `(in,)` of `weights` `(out, in)` with the smallest
    activation-weighted quantization error (the first of equal errors on the grid)."""
    x_max = ops.cast(magnitudes, "float32")
    # Channels that never saw an input count as ordinary ones.
    x_max = ops.where(ops.less(x_max, 1e-8), ops.ones_like(x_max), x_max)
    importance = ops.square(x_max)
    best_loss = best_scales = None
    for step in range(num_grid_points + 1):
        ratio = step / num_grid_points
        scales = ops.ones_like(x_max) if ratio == 0 else ops.power(x_max, ratio)
        scales = ops.maximum(scales, 1e-4)
        middle = ops.maximum(ops.sqrt(ops.multiply(ops.max(scales), ops.min(scales))), 1e-8)
        scales = ops.divide(scales, middle)
        scaled = ops.multiply(weights, scales)
        levels, scale, zero, g_idx = _quantize(scaled, group_size)
        restored = quantizers.dequantize_with_sz_map(levels, scale, zero, g_idx)
        error = ops.square(ops.subtract(weights, ops.divide(restored, scales)))
        loss = ops.mean(ops.multiply(error, importance))
        if best_loss is None or bool(ops.convert_to_numpy(ops.less(loss, best_loss))):
            best_loss, best_scales = loss, scales
    return best_scales


def quantize_matrix(weights, magnitudes, num_grid_points=20, group_size=-1):
    """AWQ of `weights` `(out, in)`: `(levels uint8, scale, zero, awq_scales, g_idx)`."""
    awq_scales = search_scales(weights, magnitudes, num_grid_points, group_size)
    levels, scale, zero, g_idx = _quantize(ops.multiply(weights, awq_scales), group_size)
    return ops.cast(levels, "uint8"), scale, zero, awq_scales, ops.cast(g_idx, "float32")


def calibrate_layer(layer, magnitudes, config):
    """Quantizes the float kernel of an AWQ-built layer from its input magnitudes."""
    from neokeras.layers.core import quantization

    weights = ops.transpose(ops.reshape(layer._kernel, (magnitudes.rows, -1)))
    levels, scale, zero, awq_scales, g_idx = quantize_matrix(
        weights, magnitudes.value, config.num_grid_points, config.group_size)
    packed = quantizers.pack_int4(levels, axis=0, dtype="uint8")[0]
    quantization.finish_calibration(layer, packed, scale, zero, g_idx, awq_scales)


def awq_quantize(config, structure, selected):
    """Calibrates the AWQ-built layers of `structure`'s sequential blocks."""
    if config.dataset is None or config.tokenizer is None:
        raise ValueError("AWQ quantization requires a dataset and tokenizer. Please provide "
                         "them in the AWQConfig.")
    calibration.calibrate_blocks(
        config, structure, selected, "awq",
        collector=lambda layer: _Magnitudes(calibration.matrix_rows(layer)),
        calibrate=lambda layer, magnitudes: calibrate_layer(layer, magnitudes, config))
