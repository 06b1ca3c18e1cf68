"""Bounding boxes: conversions between Keras's box formats, clipping, cropping, padding, affine
transforms, and the anchor delta encoding of detection heads. Boxes are `(..., 4)` arrays.

Formats: `xyxy`, `yxyx`, `xywh`, `center_xywh`, `center_yxhw`, and the relative (divided by the
image width/height) `rel_xyxy`, `rel_yxyx`, `rel_xywh`, `rel_center_xywh`.
"""

import math

from neokeras import config, ops

SUPPORTED_FORMATS = ("xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw", "rel_xyxy",
                     "rel_yxyx", "rel_xywh", "rel_center_xywh")


def _to_xyxy(fmt, a, b, c, d):
    """The four `xyxy` coordinates from the four columns of a box in the absolute format `fmt`."""
    if fmt == "xyxy":
        return a, b, c, d
    if fmt == "yxyx":
        return b, a, d, c
    if fmt == "xywh":
        return a, b, a + c, b + d
    if fmt == "center_xywh":
        return a - c / 2.0, b - d / 2.0, a + c / 2.0, b + d / 2.0
    return b - d / 2.0, a - c / 2.0, b + d / 2.0, a + c / 2.0  # center_yxhw


def _from_xyxy(fmt, x1, y1, x2, y2):
    if fmt == "xyxy":
        return x1, y1, x2, y2
    if fmt == "yxyx":
        return y1, x1, y2, x2
    if fmt == "xywh":
        return x1, y1, x2 - x1, y2 - y1
    cx, cy, w, h = x1 + (x2 - x1) / 2.0, y1 + (y2 - y1) / 2.0, x2 - x1, y2 - y1
    return (cx, cy, w, h) if fmt == "center_xywh" else (cy, cx, h, w)


def _split(boxes):
    return ops.split(boxes, 4, axis=-1)


def convert_format(boxes, source, target, height=None, width=None, dtype="float32"):
    """Converts boxes from format `source` to format `target`.

    Args:
        boxes: `(..., 4)` array, or a dict with a `"boxes"` entry (converted in place).
        source: Format of `boxes` (see the module docstring).
        target: Wanted format.
        height, width: Image size; needed when one format is relative.
        dtype: Output dtype.
    """
    if isinstance(boxes, dict):
        boxes["boxes"] = convert_format(boxes["boxes"], source, target, height, width, dtype)
        return boxes
    if ops.shape(boxes)[-1] != 4:
        raise ValueError("convert_format: boxes must have a last dimension of 4. Received "
                         f"boxes.shape={tuple(ops.shape(boxes))}")
    source, target = source.lower(), target.lower()
    if source not in SUPPORTED_FORMATS or target not in SUPPORTED_FORMATS:
        raise ValueError(f"convert_format: formats must be among {SUPPORTED_FORMATS}. Received "
                         f"source={source!r}, target={target!r}")
    relative = source.startswith("rel_") or target.startswith("rel_")
    if relative and (height is None or width is None):
        raise ValueError(f"convert_format from {source!r} to {target!r} needs height and width. "
                         f"Received height={height}, width={width}")
    boxes = ops.cast(boxes, dtype)
    if source == target:
        return boxes
    if source.startswith("rel_") and target.startswith("rel_"):
        source, target = source[4:], target[4:]
    if width is not None:
        width, height = ops.cast(width, dtype), ops.cast(height, dtype)
    a, b, c, d = _split(boxes)
    if source.startswith("rel_"):
        source = source[4:]
        if source == "yxyx":
            a, b, c, d = a * height, b * width, c * height, d * width
        else:
            a, b, c, d = a * width, b * height, c * width, d * height
    x1, y1, x2, y2 = _to_xyxy(source, a, b, c, d)
    if target.startswith("rel_"):
        x1, y1, x2, y2 = x1 / width, y1 / height, x2 / width, y2 / height
        target = target[4:]
    return ops.concatenate(list(_from_xyxy(target, x1, y1, x2, y2)), axis=-1)


def _area(boxes):
    x1, y1, x2, y2 = _split(boxes)
    return (x2 - x1) * (y2 - y1)


def clip_to_image_size(bounding_boxes, height=None, width=None, bounding_box_format="xyxy"):
    """Clips `{"boxes": ..., "labels": ...}` to the image; labels of empty boxes become -1."""
    if bounding_box_format not in ("xyxy", "rel_xyxy"):
        raise ValueError("clip_to_image_size supports bounding_box_format 'xyxy' and "
                         f"'rel_xyxy'. Received {bounding_box_format!r}")
    if bounding_box_format == "xyxy" and (height is None or width is None):
        raise ValueError("clip_to_image_size: height and width are needed for format 'xyxy'.")
    boxes = bounding_boxes["boxes"]
    labels = bounding_boxes.get("labels")
    if bounding_box_format == "xyxy":
        w, h = ops.cast(width, boxes.dtype), ops.cast(height, boxes.dtype)
    else:
        w = h = 1.0
    x1, y1, x2, y2 = _split(boxes)
    boxes = ops.concatenate([ops.clip(x1, 0, w), ops.clip(y1, 0, h), ops.clip(x2, 0, w),
                             ops.clip(y2, 0, h)], axis=-1)
    result = dict(bounding_boxes)
    result["boxes"] = boxes
    if labels is not None:
        result["labels"] = ops.where(ops.squeeze(_area(boxes), axis=-1) > 0, labels, -1)
    return result


def _require_xyxy(name, bounding_box_format):
    if bounding_box_format != "xyxy":
        raise ValueError(f"{name} supports bounding_box_format='xyxy' only (convert first). "
                         f"Received {bounding_box_format!r}")


def crop(boxes, top, left, height, width, bounding_box_format="xyxy"):
    """Boxes in the coordinates of the crop `[top, top+height) x [left, left+width)`, clipped."""
    _require_xyxy("crop", bounding_box_format)
    x1, y1, x2, y2 = _split(boxes)
    return ops.concatenate([ops.clip(x1 - left, 0, width), ops.clip(y1 - top, 0, height),
                            ops.clip(x2 - left, 0, width), ops.clip(y2 - top, 0, height)],
                           axis=-1)


def pad(boxes, top, left, height=None, width=None, bounding_box_format="xyxy"):
    """Boxes shifted by the `top`/`left` padding added to their image."""
    _require_xyxy("pad", bounding_box_format)
    x1, y1, x2, y2 = _split(boxes)
    return ops.concatenate([x1 + left, y1 + top, x2 + left, y2 + top], axis=-1)


def _inverse_affine_matrix(center_x, center_y, angle, translate_x, translate_y, scale, shear_x,
                           shear_y, height, width):
    """Per-image 3x3 matrices mapping output pixels back to input pixels (Keras's layers)."""
    degree = math.pi / 180.0
    cx, cy = center_x * (width - 1), center_y * (height - 1)
    tx, ty = -translate_x * (width - 1), -translate_y * (height - 1)
    rot, sx, sy = -angle * degree, -shear_x * degree, -shear_y * degree
    a = ops.cos(rot - sy) / ops.cos(sy)
    b = a * ops.tan(sx) + ops.sin(rot)
    c = -ops.sin(rot - sy) / ops.cos(sy)
    d = ops.cos(rot) - c * ops.tan(sx)
    a0, a1, b0, b1 = d * scale, -b * scale, -c * scale, a * scale
    a2 = cx - a0 * (cx + tx) - a1 * (cy + ty)
    b2 = cy - b0 * (cx + tx) - b1 * (cy + ty)
    zeros, ones = ops.zeros_like(a0), ops.ones_like(a0)
    return ops.reshape(ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros, ones], axis=-1),
                       (-1, 3, 3))


def affine_transform(boxes, angle, translate_x, translate_y, scale, shear_x, shear_y, height,
                     width, center_x=None, center_y=None, bounding_box_format="xyxy"):
    """The axis-aligned boxes enclosing `(batch, n, 4)` boxes after a per-image affine transform.

    Args:
        boxes: `(batch, n, 4)` boxes.
        angle: `(batch,)` rotations in degrees.
        translate_x, translate_y: `(batch,)` shifts as fractions of the image size.
        scale: `(batch,)` zoom factors.
        shear_x, shear_y: `(batch,)` shear angles in degrees.
        height, width: Image size.
        center_x, center_y: Transform center as fractions of the size (default 0.5).
    """
    _require_xyxy("affine_transform", bounding_box_format)
    angle = ops.convert_to_tensor(angle)
    matrix = _inverse_affine_matrix(0.5 if center_x is None else center_x,
                                    0.5 if center_y is None else center_y, angle, translate_x,
                                    translate_y, scale, shear_x, shear_y, height, width)
    boxes = ops.cast(boxes, matrix.dtype)
    batch, count = ops.shape(boxes)[0], ops.shape(boxes)[1]
    corners = ops.stack([boxes[..., 0], boxes[..., 1], boxes[..., 2], boxes[..., 1],
                         boxes[..., 2], boxes[..., 3], boxes[..., 0], boxes[..., 3]], axis=-1)
    corners = ops.reshape(corners, (batch, count, 4, 2))
    corners = ops.concatenate([corners, ops.ones((batch, count, 4, 1), corners.dtype)], axis=-1)
    moved = ops.einsum("bnxy,byz->bnxz", corners, ops.transpose(matrix[:, :2, :], (0, 2, 1)))
    return ops.concatenate([ops.min(moved, axis=2), ops.max(moved, axis=2)], axis=-1)


def _check_variance(variance):
    if variance is None:
        return None
    variance = ops.convert_to_tensor(variance, "float32")
    if variance.shape[-1] != 4:
        raise ValueError(f"variance must have length 4. Received {variance}")
    return variance


def _image_size(image_shape):
    return (None, None) if image_shape is None else tuple(image_shape[:2])


def encode_box_to_deltas(anchors, boxes, anchor_format, box_format,
                         encoding_format="center_yxhw", variance=None, image_shape=None):
    """Encodes boxes as offsets from anchors: center shift / anchor size, log size ratio.

    Args:
        anchors, boxes: `(..., 4)` arrays in `anchor_format` / `box_format`.
        encoding_format: `"center_yxhw"` or `"center_xywh"`.
        variance: Optional 4 scales dividing the deltas.
        image_shape: `(height, width, channels)`, needed for relative formats.
    """
    variance = _check_variance(variance)
    if encoding_format not in ("center_xywh", "center_yxhw"):
        raise ValueError("encoding_format must be 'center_xywh' or 'center_yxhw'. Received "
                         f"{encoding_format!r}")
    height, width = _image_size(image_shape)
    anchors = convert_format(anchors, anchor_format, encoding_format, height, width)
    boxes = convert_format(boxes, box_format, encoding_format, height, width)
    anchor_size = ops.maximum(anchors[..., 2:], config.epsilon())
    box_size = ops.maximum(boxes[..., 2:], config.epsilon())
    deltas = ops.concatenate([(boxes[..., :2] - anchors[..., :2]) / anchor_size,
                              ops.log(box_size / anchor_size)], axis=-1)
    return deltas if variance is None else deltas / variance


def decode_deltas_to_boxes(anchors, boxes_delta, anchor_format, box_format,
                           encoded_format="center_yxhw", variance=None, image_shape=None):
    """Inverse of `encode_box_to_deltas` (anchors and deltas may be dicts of levels)."""
    variance = _check_variance(variance)
    if encoded_format not in ("center_xywh", "center_yxhw"):
        raise ValueError("encoded_format must be 'center_xywh' or 'center_yxhw'. Received "
                         f"{encoded_format!r}")
    height, width = _image_size(image_shape)

    def decode(anchor, delta):
        anchor = convert_format(anchor, anchor_format, encoded_format, height, width)
        if variance is not None:
            delta = delta * variance
        box = ops.concatenate([delta[..., :2] * anchor[..., 2:] + anchor[..., :2],
                               ops.exp(delta[..., 2:]) * anchor[..., 2:]], axis=-1)
        return convert_format(box, encoded_format, box_format, height, width)

    if isinstance(anchors, dict) and isinstance(boxes_delta, dict):
        return {level: decode(anchor, boxes_delta[level]) for level, anchor in anchors.items()}
    return decode(anchors, boxes_delta)
