"""Checks and conversions shared by the visualization functions."""

import numpy as np

from neokeras import config
from neokeras import ops


def batched_images(name, images):
    shape = tuple(ops.shape(images))
    if len(shape) != 4:
        raise ValueError(f"{name}: `images` must be a batch of images (rank 4). Received: "
                         f"images.shape={shape}")
    return shape


def to_channels_last(array, data_format):
    array = np.asarray(ops.convert_to_numpy(array))
    if (data_format or config.image_data_format()) == "channels_first":
        return np.transpose(array, (0, 2, 3, 1))
    return array


def require(module, function):
    """Imports an optional dependency, or says which package `function` needs."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        package = {"cv2": "opencv-python", "matplotlib.pyplot": "matplotlib",
                   "matplotlib.patches": "matplotlib"}[module]
        raise ImportError(f"keras.visualization.{function} needs the `{package}` package: "
                          f"pip install {package}") from None
