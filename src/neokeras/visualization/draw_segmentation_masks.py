"""`keras.visualization.draw_segmentation_masks`: class masks painted over images."""

import numpy as np

from neokeras import backend
from neokeras import ops
from neokeras.visualization import _common


def draw_segmentation_masks(images, segmentation_masks, num_classes=None, color_mapping=None,
                            alpha=0.8, blend=True, ignore_index=-1, data_format=None):
    """Paints each class of `segmentation_masks` in its color over `images`.

    Args:
        images: `(batch, height, width, 3)` images (or channels first).
        segmentation_masks: Integer masks `(batch, height, width, 1)`.
        num_classes: Number of classes (default: the largest class in the masks, so that
            class is left unpainted, as in Keras).
        color_mapping: Dict from class to RGB color (default: a fixed palette).
        alpha: Weight of the color when blending.
        blend: Blend with the image (a `uint8` numpy array); False returns the painted
            images as a `float32` tensor.
        ignore_index: Mask value left unpainted.
        data_format: "channels_last" or "channels_first" (default: the global setting).
    """
    _common.batched_images("draw_segmentation_masks", images)
    images = _common.to_channels_last(images, data_format).astype("float32")
    masks = _common.to_channels_last(segmentation_masks, data_format)
    if not np.issubdtype(masks.dtype, np.integer):
        raise TypeError("draw_segmentation_masks: `segmentation_masks` must have an integer "
                        f"dtype. Received: {backend.standardize_dtype(masks.dtype)}")
    if num_classes is None:
        num_classes = int(masks.max())
    if color_mapping is None:
        colors = _palette(num_classes)
    else:
        colors = [color_mapping[i] for i in range(num_classes)]
    classes = masks[..., 0]
    painted = images.copy()
    for index, color in enumerate(colors):
        painted[classes == index] = np.asarray(color, "float32")
    if not blend:
        return ops.convert_to_tensor(painted)
    mixed = images * (1 - alpha) + painted * alpha
    mixed = np.where((classes != ignore_index)[..., None], mixed, images)
    return np.asarray(ops.convert_to_numpy(ops.cast(mixed, "uint8")))


def _palette(num_classes):
    steps = np.array([2 ** 25 - 1, 2 ** 15 - 1, 2 ** 21 - 1])
    return [((i * steps) % 255).tolist() for i in range(num_classes)]
