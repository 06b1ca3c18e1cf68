"""Batch renormalization (Ioffe, 2017) for `BatchNormalization(renorm=True)`.

In training the batch-normalized values are corrected as `x * r + d`, with
`r = stddev_batch / renorm_stddev` and `d = (mean_batch - renorm_mean) / renorm_stddev`
(clipped by `renorm_clipping`, and without gradient), so that training sees the statistics
inference will use. The layer then tracks `renorm_mean`/`renorm_stddev` (momentum
`renorm_momentum`) for the correction and `moving_mean`/`moving_stddev` (momentum `momentum`),
from which `moving_variance` follows.
"""

from neokeras import ops

CLIPPING_KEYS = ("rmax", "rmin", "dmax")


def check_clipping(clipping):
    """The `renorm_clipping` dict, validated (empty when None)."""
    clipping = dict(clipping or {})
    unknown = set(clipping) - set(CLIPPING_KEYS)
    if unknown:
        raise ValueError(f"BatchNormalization: unknown `renorm_clipping` keys {sorted(unknown)}; "
                         f"supported keys are {list(CLIPPING_KEYS)}. Received: {clipping}")
    rmin, rmax, dmax = clipping.get("rmin"), clipping.get("rmax"), clipping.get("dmax")
    if rmin is not None and rmax is not None and rmax < rmin:
        raise ValueError(f"BatchNormalization: renorm_clipping rmax must be >= rmin. "
                         f"Received: {clipping}")
    if dmax is not None and dmax < 0:
        raise ValueError(f"BatchNormalization: renorm_clipping dmax must be >= 0. "
                         f"Received: {clipping}")
    return clipping


def add_renorm_weights(layer, shape):
    """`moving_stddev`, `renorm_mean` and `renorm_stddev`, after the layer's other weights."""
    def stddev_initializer(shape, dtype=None):
        return ops.sqrt(layer.moving_variance_initializer(shape, dtype=dtype))

    layer.moving_stddev = layer.add_weight(shape=shape, name="moving_stddev",
                                           initializer=stddev_initializer, trainable=False)
    layer.renorm_mean = layer.add_weight(shape=shape, name="renorm_mean",
                                         initializer=layer.moving_mean_initializer,
                                         trainable=False)
    layer.renorm_stddev = layer.add_weight(shape=shape, name="renorm_stddev",
                                           initializer=stddev_initializer, trainable=False)


def corrected_scale_and_offset(layer, mean, variance, gamma, beta):
    """`(r * gamma, d * gamma + beta)`: the correction folded into the affine transform."""
    stddev = ops.sqrt(variance + layer.epsilon)
    renorm_stddev = ops.maximum(ops.cast(layer.renorm_stddev, mean.dtype),
                                ops.sqrt(ops.cast(layer.epsilon, mean.dtype)))
    r = stddev / renorm_stddev
    d = (mean - ops.cast(layer.renorm_mean, mean.dtype)) / renorm_stddev
    clipping = layer.renorm_clipping
    if clipping.get("rmin") is not None:
        r = ops.maximum(r, clipping["rmin"])
    if clipping.get("rmax") is not None:
        r = ops.minimum(r, clipping["rmax"])
    if clipping.get("dmax") is not None:
        d = ops.clip(d, -clipping["dmax"], clipping["dmax"])
    r, d = ops.stop_gradient(r), ops.stop_gradient(d)
    scale = r if gamma is None else r * gamma
    offset = d if gamma is None else d * gamma
    return scale, offset if beta is None else offset + beta


def update_statistics(layer, mean, variance):
    """Moves the renorm and inference statistics toward the batch's."""
    stddev = ops.sqrt(variance + layer.epsilon)

    def moved(variable, value, momentum):
        current = ops.cast(variable, mean.dtype)
        return current * momentum + value * (1.0 - momentum)

    layer.renorm_mean.assign(moved(layer.renorm_mean, mean, layer.renorm_momentum))
    layer.renorm_stddev.assign(moved(layer.renorm_stddev, stddev, layer.renorm_momentum))
    layer.moving_mean.assign(moved(layer.moving_mean, mean, layer.momentum))
    new_stddev = moved(layer.moving_stddev, stddev, layer.momentum)
    layer.moving_stddev.assign(new_stddev)
    layer.moving_variance.assign(ops.relu(new_stddev * new_stddev - layer.epsilon))
