"""`keras.visualization.draw_bounding_boxes`: boxes and class names drawn on images."""

import numpy as np

from neokeras import config
from neokeras import ops
from neokeras.utils.bounding_boxes import converters
from neokeras.visualization import _common


def draw_bounding_boxes(images, bounding_boxes, bounding_box_format, class_mapping=None,
                        color=(128, 128, 128), line_thickness=2, text_thickness=1,
                        font_scale=1.0, data_format=None):
    """Returns `uint8` copies of `images` with their boxes drawn (needs OpenCV, as Keras).

    Float images in [0, 1] are scaled to [0, 255]; others are clipped to it. Boxes with
    label -1 are skipped; labels found in `class_mapping` are written above the box, with
    the box's confidence when `bounding_boxes` has `"confidences"`.

    Args:
        images: `(batch, height, width, 3)` images (or channels first).
        bounding_boxes: Dict with `"boxes"` `(batch, n, 4)` and `"labels"` `(batch, n)`.
        bounding_box_format: Format of the boxes (e.g. "xyxy").
        class_mapping: Dict from label to class name.
        color: RGB color of boxes and text.
        line_thickness: Box line width in pixels.
        text_thickness: Text stroke width (falls back to `line_thickness` when 0/None).
        font_scale: Text size.
        data_format: "channels_last" or "channels_first" (default: the global setting).
    """
    cv2 = _common.require("cv2", "draw_bounding_boxes")
    class_mapping = class_mapping or {}
    text_thickness = text_thickness or line_thickness
    data_format = data_format or config.image_data_format()
    shape = _common.batched_images("draw_bounding_boxes", images)
    if not isinstance(bounding_boxes, dict):
        raise TypeError("draw_bounding_boxes: `bounding_boxes` must be a dict. Received: "
                        f"{type(bounding_boxes).__name__}")
    if "boxes" not in bounding_boxes or "labels" not in bounding_boxes:
        raise ValueError("draw_bounding_boxes: `bounding_boxes` must have 'boxes' and "
                         f"'labels' keys. Received keys: {sorted(bounding_boxes)}")
    height, width = shape[1:3] if data_format == "channels_last" else shape[2:4]
    boxes = np.asarray(ops.convert_to_numpy(converters.convert_format(
        bounding_boxes["boxes"], bounding_box_format, "xyxy", height, width)))
    labels = np.asarray(ops.convert_to_numpy(bounding_boxes["labels"]))
    confidences = bounding_boxes.get("confidences")
    if confidences is not None:
        confidences = np.asarray(ops.convert_to_numpy(confidences))
    # (Channels-first images are drawn as given, as Keras does.)
    images = np.array(ops.convert_to_numpy(images))
    if images.dtype.kind == "f" and images.size:
        images = np.clip(images, 0, 1) * 255 if images.max() <= 1.0 else np.clip(images, 0, 255)
    images = np.ascontiguousarray(images.astype("uint8"))
    for i, image in enumerate(images):
        for j, box in enumerate(boxes[i]):
            label = int(labels[i][j])
            if label == -1:
                continue
            x1, y1, x2, y2 = (int(v) for v in box.astype("int32"))
            cv2.rectangle(image, (x1, y1), (x2, y2), color, line_thickness)
            if label in class_mapping:
                text = class_mapping[label]
                if confidences is not None:
                    text = f"{text} | {confidences[i][j]:.2f}"
                cv2.putText(img=image, text=text,
                            org=_text_origin(x1, y1, font_scale, text_thickness),
                            fontFace=cv2.FONT_HERSHEY_SIMPLEX, fontScale=font_scale,
                            color=color, thickness=text_thickness)
    return images


def _text_origin(x, y, font_scale, thickness):
    """Above the box when there is room, else just inside its top-left corner."""
    font_height = int(font_scale * 12)
    if y - 8 - 2 * font_height > 0:
        return x, y - 8
    return x + 3, y + 2 * font_height + thickness + 3
