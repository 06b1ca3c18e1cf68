"""`RandomTranslation`: shifts images by a random fraction of their size."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes, _geometry
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomTranslation")
class RandomTranslation(BaseImagePreprocessingLayer):
    """Translates images by random fractions of their height and width during training.

    Args:
        height_factor: Number `f` (shift in `[-f, f] * height`) or a pair `(lower, upper)`.
        width_factor: The same for the width.
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: Int seed.
        fill_value: Value outside the image with fill_mode="constant".
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _geometry.check_factor_pair(
            "RandomTranslation", height_factor, "height_factor")
        self.width_factor = width_factor
        self.width_lower, self.width_upper = _geometry.check_factor_pair(
            "RandomTranslation", width_factor, "width_factor")
        _geometry.check_fill_and_interpolation("RandomTranslation", fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        batch = 1 if len(shape) == 3 else shape[0]
        height, width = self._hw(shape)
        dy = self._uniform((batch, 1), self.height_lower, self.height_upper, seed) * height
        dx = self._uniform((batch, 1), self.width_lower, self.width_upper, seed) * width
        translations = ops.cast(ops.concatenate([dx, dy], axis=1), "float32")
        return {"translations": translations, "input_shape": shape}

    @staticmethod
    def _matrix(translations):
        n = translations.shape[0]
        ones, zeros = ops.ones((n, 1)), ops.zeros((n, 1))
        return ops.concatenate([ones, zeros, -translations[:, 0:1], zeros, ones,
                                -translations[:, 1:], zeros, zeros], axis=1)

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        return _geometry.apply_affine(self, images, self._matrix(transformation["translations"]))

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        return _geometry.apply_affine(self, segmentation_masks,
                                      self._matrix(transformation["translations"]), "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._boxes_hw(transformation)
        boxes = self._boxes_to(bounding_boxes, "xyxy", height, width)
        shift = ops.tile(ops.cast(transformation["translations"], boxes["boxes"].dtype), (1, 2))
        boxes["boxes"] = boxes["boxes"] + shift[:, None, :]
        boxes = _bounding_boxes.clip(boxes, height, width)
        return self._boxes_from(boxes, "xyxy", height, width)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor, "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}
