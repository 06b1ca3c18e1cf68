"""Helpers shared by the color augmentation layers."""

import numpy as np

from neokeras import backend
from neokeras import ops


def check_value_range(layer_name, value_range):
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError(f"{layer_name}(value_range=...) must be a pair (min, max). "
                         f"Received: value_range={value_range!r}")
    return sorted(value_range)


def batch_size(layer_name, images):
    shape = images.shape
    if len(shape) not in (3, 4):
        raise ValueError(f"{layer_name} expects images of rank 3 or 4. Received shape "
                         f"{tuple(shape)}.")
    return 1 if len(shape) == 3 else shape[0]


def grayscale(layer, images):
    """Luma of RGB images in the layer's data format, keeping one channel."""
    return layer._restore_format(backend.impl.image.rgb_to_grayscale(
        layer._channels_last(images), data_format="channels_last"))


def to_hsv(layer, images):
    return backend.impl.image.rgb_to_hsv(layer._channels_last(images),
                                         data_format="channels_last")


def from_hsv(layer, images):
    return layer._restore_format(backend.impl.image.hsv_to_rgb(images,
                                                               data_format="channels_last"))


def saturate_cast(values, dtype):
    """Rounds and clips float results to an integer dtype's range (as Keras casts back)."""
    if str(values.dtype) == str(dtype):
        return values
    if np.issubdtype(np.dtype(str(dtype)), np.integer):
        info = np.iinfo(np.dtype(str(dtype)))
        values = ops.clip(ops.round(values), info.min, info.max)
    return ops.cast(values, dtype)
