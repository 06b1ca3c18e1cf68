"""`RandomRotation`: rotates images by a random angle."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes, _geometry
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)
from neokeras.utils.bounding_boxes import converters


@keras_name("keras.layers.RandomRotation")
class RandomRotation(BaseImagePreprocessingLayer):
    """Rotates images by a random fraction of a full turn during training.

    Args:
        factor: Number `f` (angles in `[-f, f] * 360` degrees) or a pair `(lower, upper)`.
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: Int seed.
        fill_value: Value outside the image with fill_mode="constant".
        data_format: "channels_last" (default) or "channels_first".
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(factor=factor, data_format=data_format, **kwargs)
        _geometry.check_fill_and_interpolation("RandomRotation", fill_mode, interpolation)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = fill_value

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        batch = shape[0] if len(shape) == 4 else 1
        height, width = self._hw(shape)
        angle = self._uniform((batch,), self.factor[0] * 360.0, self.factor[1] * 360.0, seed)
        zeros, ones = ops.zeros((batch,)), ops.ones((batch,))
        matrix = _geometry.affine_matrix(0.5, 0.5, angle, zeros, zeros, ones, zeros, zeros,
                                         height, width)
        if len(shape) == 3:
            matrix = ops.squeeze(matrix, axis=0)
        return {"angle": angle, "rotation_matrix": matrix, "image_height": height,
                "image_width": width, "batch_size": batch}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        return _geometry.apply_affine(self, images, transformation["rotation_matrix"])

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        return _geometry.apply_affine(self, segmentation_masks,
                                      transformation["rotation_matrix"], "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = transformation["image_height"], transformation["image_width"]
        boxes = self._boxes_to(bounding_boxes, "xyxy", height, width)
        zeros = ops.zeros_like(transformation["angle"])
        boxes["boxes"] = converters.affine_transform(
            boxes["boxes"], transformation["angle"], zeros, zeros, ops.ones_like(zeros), zeros,
            zeros, height, width)
        boxes = _bounding_boxes.clip(boxes, height, width)
        return self._boxes_from(boxes, "xyxy", height, width)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "interpolation": self.interpolation,
                "seed": self.seed}
