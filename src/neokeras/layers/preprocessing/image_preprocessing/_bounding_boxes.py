"""Bounding-box inputs of the augmentation layers: validation, densifying, format round trips.

Boxes travel as `{"boxes": (batch, n, 4), "labels": (batch, n)}` in the layer's
`bounding_box_format`; the geometric layers move them in `xyxy` (or `rel_xyxy`) pixels of the
image and convert back.
"""

from neokeras import backend
from neokeras.utils.bounding_boxes import converters


def validate(layer_name, bounding_boxes):
    if not isinstance(bounding_boxes, dict) or not {"boxes", "labels"} <= set(bounding_boxes):
        raise ValueError(f"{layer_name}: `bounding_boxes` must be a dict with keys 'boxes' and "
                         f"'labels'. Received: bounding_boxes={bounding_boxes!r}")
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    if isinstance(boxes, (list, tuple)) != isinstance(labels, (list, tuple)):
        raise ValueError(f"{layer_name}: bounding_boxes['boxes'] and ['labels'] must both be "
                         "lists or both be arrays.")
    if isinstance(boxes, (list, tuple)):
        if len(boxes) != len(labels):
            raise ValueError(f"{layer_name}: bounding_boxes['boxes'] and ['labels'] must have "
                             f"the same length. Received {len(boxes)} and {len(labels)}.")
        return
    box_rank, label_rank = len(backend.shape(boxes)), len(backend.shape(labels))
    if box_rank not in (2, 3) or label_rank not in (box_rank - 1, box_rank):
        raise ValueError(
            f"{layer_name}: expected bounding_boxes['boxes'] of shape (num_boxes, 4) or "
            "(batch, num_boxes, 4) and labels of rank one or two less. Received: "
            f"boxes.shape={tuple(backend.shape(boxes))}, labels.shape="
            f"{tuple(backend.shape(labels))}")


def _pad_ragged(boxes, labels):
    """Pads per-image box lists to the longest with zero boxes and -1 labels."""
    longest = max((len(b) for b in boxes), default=0)
    boxes = [list(b) + [[0.0] * 4] * (longest - len(b)) for b in boxes]
    labels = [list(l) + [-1] * (longest - len(l)) for l in labels]  # noqa: E741
    return boxes, labels


def densify(layer_name, bounding_boxes, batched):
    """Arrays from array or (ragged, for a batch) list inputs; boxes become float32."""
    validate(layer_name, bounding_boxes)
    boxes, labels = bounding_boxes["boxes"], bounding_boxes["labels"]
    if isinstance(boxes, (list, tuple)) and batched and boxes and isinstance(boxes[0], (
            list, tuple)) and (not boxes[0] or isinstance(boxes[0][0], (list, tuple))):
        boxes, labels = _pad_ragged(boxes, labels)
        labels = backend.convert_to_tensor(labels, dtype="int32")
    else:
        labels = backend.convert_to_tensor(labels)
    result = dict(bounding_boxes)
    result["boxes"] = backend.convert_to_tensor(boxes, dtype="float32")
    result["labels"] = labels
    return result


def convert(bounding_boxes, source, target, height, width, dtype="float32"):
    """A copy of `bounding_boxes` with its boxes converted from `source` to `target`."""
    result = dict(bounding_boxes)
    result["boxes"] = converters.convert_format(bounding_boxes["boxes"], source, target,
                                                height=height, width=width, dtype=dtype)
    return result


def clip(bounding_boxes, height, width, bounding_box_format="xyxy"):
    return converters.clip_to_image_size(dict(bounding_boxes), height=height, width=width,
                                         bounding_box_format=bounding_box_format)
