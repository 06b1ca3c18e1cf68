"""`RandomFlip`: flips images horizontally and/or vertically at random."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)

HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL = "horizontal", "vertical", "horizontal_and_vertical"


@keras_name("keras.layers.RandomFlip")
class RandomFlip(BaseImagePreprocessingLayer):
    """Flips each image with probability 1/2 during training (identity in inference).

    Args:
        mode: "horizontal", "vertical" or "horizontal_and_vertical" (both, decided together).
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL):
            raise ValueError("RandomFlip(mode=...) must be 'horizontal', 'vertical' or "
                             f"'horizontal_and_vertical'. Received: mode={mode!r}")
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.mode = mode

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        flips_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        flips = ops.less_equal(self._uniform(flips_shape, 0.0, 1.0, seed), 0.5)
        return {"flips": flips, "input_shape": shape}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        flips = transformation["flips"]
        horizontal, vertical = (-2, -3) if self.data_format == "channels_last" else (-1, -2)
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=horizontal), images)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            images = ops.where(flips, ops.flip(images, axis=vertical), images)
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._boxes_hw(transformation)
        boxes = self._boxes_to(bounding_boxes, "rel_xyxy", height, width)
        flips = ops.reshape(transformation["flips"], (-1, 1, 1))
        x1, y1, x2, y2 = ops.split(boxes["boxes"], 4, axis=-1)
        if self.mode in (HORIZONTAL, HORIZONTAL_AND_VERTICAL):
            x1, x2 = ops.where(flips, 1 - x2, x1), ops.where(flips, 1 - x1, x2)
        if self.mode in (VERTICAL, HORIZONTAL_AND_VERTICAL):
            y1, y2 = ops.where(flips, 1 - y2, y1), ops.where(flips, 1 - y1, y2)
        boxes["boxes"] = ops.concatenate([x1, y1, x2, y2], axis=-1)
        boxes = _bounding_boxes.clip(boxes, height, width, "rel_xyxy")
        return self._boxes_from(boxes, "rel_xyxy", height, width)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "mode": self.mode}
