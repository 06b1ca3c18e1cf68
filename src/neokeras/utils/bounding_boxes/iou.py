"""Intersection over union (IoU) and complete IoU (CIoU) of bounding boxes."""

import math

from neokeras import config, ops
from neokeras.utils.bounding_boxes.converters import convert_format


def _check_rank(name, boxes):
    rank = len(ops.shape(boxes))
    if rank not in (2, 3):
        raise ValueError(f"compute_iou expects {name} of rank 2 (n, 4) or 3 (batch, n, 4). "
                         f"Received shape {tuple(ops.shape(boxes))}")
    return rank


def compute_iou(boxes1, boxes2, bounding_box_format, use_masking=False, mask_val=-1,
                image_shape=None):
    """Pairwise IoU: `(n1, n2)` (or `(batch, n1, n2)`) for boxes `(n1, 4)` and `(n2, 4)`.

    Args:
        boxes1, boxes2: Boxes in `bounding_box_format` (boxes2 may be unbatched).
        bounding_box_format: Their format.
        use_masking: Give `mask_val` to pairs with a padding box (all coordinates < 0).
        mask_val: Value of masked pairs.
        image_shape: `(height, width, channels)`, needed for relative formats.
    """
    _check_rank("boxes1", boxes1)
    rank2 = _check_rank("boxes2", boxes2)
    if "rel" in bounding_box_format and image_shape is None:
        raise ValueError("compute_iou: relative formats need image_shape.")
    height, width = (None, None) if image_shape is None else tuple(image_shape[:2])
    b1 = convert_format(boxes1, bounding_box_format, "xyxy", height, width)
    b2 = convert_format(boxes2, bounding_box_format, "xyxy", height, width)
    perm = (1, 0) if rank2 == 2 else (0, 2, 1)
    x1a, y1a, x2a, y2a = ops.split(b1, 4, axis=-1)
    x1b, y1b, x2b, y2b = (ops.transpose(v, perm) for v in ops.split(b2, 4, axis=-1))
    inter_h = ops.maximum(0.0, ops.minimum(y2a, y2b) - ops.maximum(y1a, y1b))
    inter_w = ops.maximum(0.0, ops.minimum(x2a, x2b) - ops.maximum(x1a, x1b))
    inter = inter_h * inter_w
    area1 = (y2a - y1a) * (x2a - x1a)
    area2 = (y2b - y1b) * (x2b - x1b)
    iou = inter / (area1 + area2 - inter + config.epsilon())
    if not use_masking:
        return iou
    pad1 = ops.max(b1, axis=-1, keepdims=True) < 0.0
    pad2 = ops.transpose(ops.max(b2, axis=-1, keepdims=True) < 0.0, perm)
    return ops.where(ops.logical_or(pad1, pad2), ops.cast(mask_val, iou.dtype), iou)


def compute_ciou(boxes1, boxes2, bounding_box_format, image_shape=None):
    """Element-wise complete IoU: IoU minus center distance and aspect-ratio penalties."""
    if "rel" in bounding_box_format:
        raise ValueError("compute_ciou does not support relative formats; convert the boxes "
                         "to an absolute format first.")
    eps = config.epsilon()
    b1 = convert_format(boxes1, bounding_box_format, "xyxy")
    b2 = convert_format(boxes2, bounding_box_format, "xyxy")
    x1a, y1a, x2a, y2a = ops.split(b1[..., :4], 4, axis=-1)
    x1b, y1b, x2b, y2b = ops.split(b2[..., :4], 4, axis=-1)
    w1, h1 = x2a - x1a, y2a - y1a + eps
    w2, h2 = x2b - x1b, y2b - y1b + eps
    inter = (ops.maximum(ops.minimum(x2a, x2b) - ops.maximum(x1a, x1b), 0)
             * ops.maximum(ops.minimum(y2a, y2b) - ops.maximum(y1a, y1b), 0))
    union = w1 * h1 + w2 * h2 - inter + eps
    iou = ops.squeeze(inter / (union + eps), axis=-1)
    enclosing_w = ops.maximum(x2a, x2b) - ops.minimum(x1a, x1b)
    enclosing_h = ops.maximum(y2a, y2b) - ops.minimum(y1a, y1b)
    diagonal = ops.squeeze(enclosing_w ** 2 + enclosing_h ** 2 + eps, axis=-1)
    distance = ops.squeeze(((x1a + x2a) / 2 - (x1b + x2b) / 2) ** 2
                           + ((y1a + y2a) / 2 - (y1b + y2b) / 2) ** 2, axis=-1)
    v = ops.squeeze(4 / math.pi ** 2 * (ops.arctan(w2 / h2) - ops.arctan(w1 / h1)) ** 2, axis=-1)
    alpha = v / (v - iou + (1 + eps))
    return iou - (distance / diagonal + v * alpha)
