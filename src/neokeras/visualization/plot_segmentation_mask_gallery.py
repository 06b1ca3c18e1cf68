"""`keras.visualization.plot_segmentation_mask_gallery`: images beside their drawn masks."""

import functools

import numpy as np

from neokeras.visualization import _common
from neokeras.visualization.draw_segmentation_masks import draw_segmentation_masks
from neokeras.visualization.plot_image_gallery import plot_image_gallery


def plot_segmentation_mask_gallery(images, num_classes, value_range=(0, 255), y_true=None,
                                   y_pred=None, color_mapping=None, blend=True, alpha=0.8,
                                   ignore_index=-1, data_format=None, **kwargs):
    """One row per image: the image, then its true and predicted masks drawn over it.

    Args:
        images: `(batch, height, width, 3)` images (or channels first).
        num_classes: Number of classes.
        value_range: Range of the pixel values.
        y_true, y_pred: Optional integer masks `(batch, height, width, 1)`.
        color_mapping, blend, alpha, ignore_index: As in `draw_segmentation_masks`.
        data_format: "channels_last" or "channels_first" (default: the global setting).
        **kwargs: Passed to `plot_image_gallery` (`path`, `show`, `scale`, `dpi`, ...).
    """
    shape = _common.batched_images("plot_segmentation_mask_gallery", images)
    images = _common.to_channels_last(images, data_format)
    draw = functools.partial(draw_segmentation_masks, num_classes=num_classes,
                             color_mapping=color_mapping, alpha=alpha,
                             ignore_index=ignore_index, blend=blend, data_format="channels_last")
    columns = [images]
    for masks in (y_true, y_pred):
        if masks is not None:
            masks = _common.to_channels_last(masks, data_format).astype("int32")
            columns.append(np.asarray(draw(images, masks)))
    gallery = np.stack([column[i] for i in range(shape[0]) for column in columns], axis=0)
    return plot_image_gallery(gallery, value_range=value_range, rows=shape[0],
                              cols=len(columns), data_format="channels_last", **kwargs)
