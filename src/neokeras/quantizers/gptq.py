"""GPTQ calibration: `model.quantize("gptq", config=GPTQConfig(...))`.

Block by block, the inputs of every quantizable layer are streamed into a running Hessian
estimate `H = 2/N * X^T X`; each weight matrix is then quantized column by column, the rounding
error of a column being spread over the columns not yet quantized through the inverse (damped)
Hessian. The outputs of a calibrated block are the calibration inputs of the next one.

The quantized weight `(out_features, in_features)` is stored transposed from the float kernel
(an einsum kernel seen as a matrix, see `quantization.calibrated_matrix_shape`), with one scale
and zero point per output row and group of `group_size` input columns.
"""

from neokeras import ops
from neokeras.quantizers import calibration
from neokeras.quantizers import quantizers

_BLOCK_SIZE = 128


class _Hessian:
    """Running average of `2 x^T x` over the rows of a layer's inputs."""

    def __init__(self, rows):
        self.rows = rows
        self.value = ops.zeros((rows, rows), dtype="float32")
        self.count = 0

    def update(self, inputs):
        x = ops.cast(ops.reshape(inputs, (-1, self.rows)), "float32")
        new = int(x.shape[0])
        total = self.count + new
        gram = ops.matmul(ops.transpose(x), x)
        gram = ops.divide(ops.add(gram, ops.transpose(gram)), 2.0)
        if self.count > 0:
            self.value = ops.multiply(self.value, self.count / total)
        self.value = ops.add(self.value, ops.multiply(2.0 / total, gram))
        self.count = total


def _damped_inverse(hessian, damping):
    diagonal = ops.diagonal(hessian)
    dead = ops.equal(diagonal, 0.0)
    diagonal = ops.where(dead, 1.0, diagonal)
    diagonal = ops.add(diagonal, ops.multiply(damping, ops.mean(diagonal)))
    damped = ops.add(ops.subtract(hessian, ops.diag(ops.diagonal(hessian))),
                     ops.diag(diagonal))
    return damped, ops.linalg.inv(damped)


def quantize_matrix(weights, inv_hessian, config, order_metric, blocksize=_BLOCK_SIZE):
    """GPTQ of `weights` `(out, in)`: returns `(quantized int32, scale, zero, g_idx)`."""
    in_features = int(weights.shape[1])

    def params(x):
        return quantizers.compute_quantization_parameters(
            x, bits=config.weight_bits, symmetric=config.symmetric,
            per_channel=config.per_channel, group_size=config.group_size)

    inverse_order = None
    if config.activation_order:
        metric = ops.cast(order_metric, "float32")
        metric = ops.where(ops.isfinite(metric), metric, ops.zeros_like(metric))
        # Ties are broken by index (a jitter far below any real difference).
        jitter = ops.divide(ops.cast(ops.arange(in_features), "float32"), float(in_features))
        order = ops.argsort(ops.negative(ops.add(metric, ops.multiply(jitter, 1e-12))))
        inverse_order = ops.argsort(order)
        weights = ops.take(weights, order, axis=1)
        inv_hessian = ops.take(ops.take(inv_hessian, order, axis=0), order, axis=1)

    group = in_features if config.group_size == -1 else config.group_size
    work = weights
    columns = []
    scales, zeros = [], []
    scale = zero = maxq = None
    for start in range(0, in_features, blocksize):
        end = min(start + blocksize, in_features)
        block = work[:, start:end]
        block_inv = inv_hessian[start:end, start:end]
        errors = []
        for j in range(end - start):
            index = start + j
            if index % group == 0:
                # Parameters from the (already error-corrected) columns of the new group.
                scale, zero, maxq = params(work[:, index:min(index + group, in_features)]
                                           if group != in_features else work)
                scales.append(scale)
                zeros.append(zero)
            column = block[:, j]
            safe_scale = ops.where(ops.equal(scale, 0), 1e-8, scale)
            q = ops.clip(ops.round(ops.add(ops.divide(column[:, None], safe_scale),
                                           ops.cast(zero, scale.dtype))), 0, maxq)
            columns.append(ops.cast(q, "int32"))
            restored = ops.multiply(scale, ops.subtract(q, ops.cast(zero, scale.dtype)))[:, 0]
            error = ops.divide(ops.subtract(column, restored), block_inv[j, j])
            errors.append(error)
            if j < end - start - 1:
                update = ops.matmul(error[:, None], block_inv[j, j + 1:][None, :])
                block = ops.concatenate([block[:, :j + 1],
                                         ops.subtract(block[:, j + 1:], update)], axis=1)
        # `work` takes the corrections of a block only at its end: the parameters of a group
        # starting inside a block come from its columns as they were when the block began.
        if end < in_features:
            correction = ops.matmul(ops.stack(errors, axis=1), inv_hessian[start:end, end:])
            work = ops.concatenate([work[:, :end], ops.subtract(work[:, end:], correction)],
                                   axis=1)
    quantized = ops.concatenate(columns, axis=1)
    # Keras stores each column's group as index / group_size, not floored (the readers floor).
    g_idx = ops.divide(ops.arange(in_features, dtype="int32"), group)
    g_idx = ops.cast(g_idx, "float32")
    if inverse_order is not None:
        g_idx = ops.take(g_idx, inverse_order, axis=0)
        quantized = ops.take(quantized, inverse_order, axis=1)
    return quantized, ops.concatenate(scales, axis=1), ops.concatenate(zeros, axis=1), g_idx


def calibrate_layer(layer, hessian, config):
    """Quantizes the float kernel of a GPTQ-built layer with its accumulated `hessian`."""
    from neokeras.layers.core import quantization

    weights = ops.transpose(ops.reshape(layer._kernel, (hessian.rows, -1)))
    damped, inverse = _damped_inverse(hessian.value, config.hessian_damping)
    quantized, scale, zero, g_idx = quantize_matrix(weights, inverse, config,
                                                    ops.diagonal(damped))
    quantized = ops.cast(quantized, "uint8")
    if config.weight_bits == 4:
        quantized = quantizers.pack_int4(quantized, axis=0, dtype="uint8")[0]
    quantization.finish_calibration(layer, quantized, scale, zero, g_idx)


def gptq_quantize(config, structure, selected):
    """Calibrates the GPTQ-built layers of `structure`'s sequential blocks."""
    if config.dataset is None or config.tokenizer is None:
        raise ValueError("GPTQ quantization requires a dataset and a tokenizer. Please provide "
                         "them in the `GPTQConfig`.")
    calibration.calibrate_blocks(
        config, structure, selected, "gptq",
        collector=lambda layer: _Hessian(calibration.matrix_rows(layer)),
        calibrate=lambda layer, hessian: calibrate_layer(layer, hessian, config))
