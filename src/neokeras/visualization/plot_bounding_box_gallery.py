"""`keras.visualization.plot_bounding_box_gallery`: a gallery of images with their boxes."""

import functools

import numpy as np

from neokeras.visualization import _common
from neokeras.visualization.draw_bounding_boxes import draw_bounding_boxes
from neokeras.visualization.plot_image_gallery import plot_image_gallery


def plot_bounding_box_gallery(images, bounding_box_format, y_true=None, y_pred=None,
                              value_range=(0, 255), true_color=(0, 188, 212),
                              pred_color=(255, 235, 59), line_thickness=2, font_scale=1.0,
                              text_thickness=None, class_mapping=None,
                              ground_truth_mapping=None, prediction_mapping=None, legend=False,
                              legend_handles=None, rows=None, cols=None, data_format=None,
                              **kwargs):
    """Draws true and predicted boxes on `images` and plots them with `plot_image_gallery`.

    Args:
        images: `(batch, height, width, 3)` images (or channels first).
        bounding_box_format: Format of the boxes.
        y_true, y_pred: Box dicts (`"boxes"`, `"labels"`, optional `"confidences"`).
        value_range: Range of the pixel values.
        true_color, pred_color: RGB colors of the true and predicted boxes.
        line_thickness, font_scale, text_thickness: As in `draw_bounding_boxes`.
        class_mapping: Class names for both; `ground_truth_mapping` and
            `prediction_mapping` override it for one side.
        legend: Add a "Ground Truth" / "Prediction" legend.
        legend_handles: Custom legend handles (not with `legend=True`).
        rows, cols: Grid size.
        data_format: "channels_last" or "channels_first" (default: the global setting).
        **kwargs: Passed to `plot_image_gallery` (`path`, `show`, `scale`, `dpi`, ...).
    """
    patches = _common.require("matplotlib.patches", "plot_bounding_box_gallery")
    _common.batched_images("plot_bounding_box_gallery", images)
    images = _common.to_channels_last(images, data_format)
    draw = functools.partial(draw_bounding_boxes, bounding_box_format=bounding_box_format,
                             line_thickness=line_thickness, text_thickness=text_thickness,
                             font_scale=font_scale, data_format="channels_last")
    if y_true is not None:
        images = draw(images, y_true, color=true_color,
                      class_mapping=ground_truth_mapping or class_mapping)
    if y_pred is not None:
        images = draw(images, y_pred, color=pred_color,
                      class_mapping=prediction_mapping or class_mapping)
    if legend:
        if legend_handles:
            raise ValueError("plot_bounding_box_gallery: pass `legend` or `legend_handles`, "
                             "not both.")
        legend_handles = [
            patches.Patch(color=np.array(true_color) / 255.0, label="Ground Truth"),
            patches.Patch(color=np.array(pred_color) / 255.0, label="Prediction")]
    return plot_image_gallery(images, value_range=value_range, legend_handles=legend_handles,
                              rows=rows, cols=cols, data_format="channels_last", **kwargs)
