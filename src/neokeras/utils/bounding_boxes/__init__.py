"""`keras.utils.bounding_boxes`: box format conversions, geometry and IoU."""

from neokeras.utils.bounding_boxes.converters import affine_transform  # noqa: F401
from neokeras.utils.bounding_boxes.converters import clip_to_image_size  # noqa: F401
from neokeras.utils.bounding_boxes.converters import convert_format  # noqa: F401
from neokeras.utils.bounding_boxes.converters import crop, pad  # noqa: F401
from neokeras.utils.bounding_boxes.converters import decode_deltas_to_boxes  # noqa: F401
from neokeras.utils.bounding_boxes.converters import encode_box_to_deltas  # noqa: F401
from neokeras.utils.bounding_boxes.iou import compute_ciou, compute_iou  # noqa: F401
