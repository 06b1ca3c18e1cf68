"""`MaxNumBoundingBoxes`: pads or truncates the boxes of each image to a fixed count."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.MaxNumBoundingBoxes")
class MaxNumBoundingBoxes(BaseImagePreprocessingLayer):
    """Makes `bounding_boxes` hold exactly `max_number` boxes per image (training and inference).

    Extra boxes are dropped; missing ones are added with every coordinate and the label equal
    to `fill_value`. Images, labels and masks pass unchanged.

    Args:
        max_number: Number of boxes per image.
        fill_value: Coordinates and label of the padding boxes (default -1).
        bounding_box_format: Format of the boxes (required with `bounding_boxes` inputs).
    """

    def __init__(self, max_number, fill_value=-1, **kwargs):
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = int(fill_value)
        if self.max_number < 1:
            raise ValueError("MaxNumBoundingBoxes(max_number=...) must be a positive int. "
                             f"Received: max_number={max_number!r}")

    def transform_images(self, images, transformation=None, training=True):
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation=None,
                                     training=True):
        return segmentation_masks

    def transform_bounding_boxes(self, bounding_boxes, transformation=None, training=True):
        result = dict(bounding_boxes)
        for key in ("boxes", "labels"):
            value = bounding_boxes[key][:, :self.max_number]
            missing = self.max_number - value.shape[1]
            if missing:
                pad = [(0, 0), (0, missing)] + [(0, 0)] * (len(value.shape) - 2)
                value = ops.pad(value, pad, constant_values=self.fill_value)
            result[key] = value
        return result

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict) and "bounding_boxes" in input_shape:
            shapes = dict(input_shape["bounding_boxes"])
            extra = set(shapes) - {"boxes", "labels"}
            if extra:
                raise KeyError(f"MaxNumBoundingBoxes: unsupported keys in `bounding_boxes`: "
                               f"{sorted(extra)}. Only 'boxes' and 'labels' are supported.")
            for key in ("boxes", "labels"):
                shape = list(shapes[key])
                shape[1] = self.max_number
                shapes[key] = tuple(shape)
            return {**input_shape, "bounding_boxes": shapes}
        return input_shape

    def get_config(self):
        # (Keras 3.15.1 leaves fill_value out of its config; it is kept here so it survives.)
        return {**super().get_config(), "max_number": self.max_number,
                "fill_value": self.fill_value}
