"""Random box masks shared by CutMix-like layers."""

from neokeras import ops


def box_masks(layer, shape, x0, x1, y0, y1):
    """Boolean masks `(batch, h, w, c)` (or channels first) true inside each box."""
    height, width = layer._hw(shape)
    dtype = layer.compute_dtype
    grid_y = ops.broadcast_to(ops.reshape(ops.arange(height, dtype=dtype), (height, 1)),
                              (height, width))
    grid_x = ops.broadcast_to(ops.reshape(ops.arange(width, dtype=dtype), (1, width)),
                              (height, width))
    if layer.data_format == "channels_last":
        grid_y, grid_x = grid_y[None, :, :, None], grid_x[None, :, :, None]
    else:
        grid_y, grid_x = grid_y[None, None], grid_x[None, None]
    box = lambda v: v[:, None, None, None]  # noqa: E731
    masks = ops.logical_and(ops.logical_and(grid_x >= box(x0), grid_x < box(x1)),
                            ops.logical_and(grid_y >= box(y0), grid_y < box(y1)))
    channel_axis = -1 if layer.data_format == "channels_last" else -3
    return ops.repeat(masks, shape[channel_axis], axis=channel_axis)


def crop_bounds(layer, n, length, ratio, seed):
    """Start and end of a box side of `ratio * length` placed uniformly at random."""
    crop = ops.cast(ratio * length, layer.compute_dtype)
    start = layer._uniform((n,), 0.0, 1.0, seed, layer.compute_dtype) * (length - crop)
    return start, start + crop
