"""`RandomContrast`: scales each image's deviation from its mean by a random factor."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomContrast")
class RandomContrast(BaseImagePreprocessingLayer):
    """Adjusts contrast per image during training: `(x - mean) * c + mean`, clipped.

    Args:
        factor: Number `f` (c in `[1 - f, 1 + f]`) or a pair `(lower, upper)`, in [0, 1].
        value_range: Range of the pixel values, e.g. (0, 255) or (0, 1).
        seed: Int seed.
    """

    _KEEPS_BOXES = True
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(**kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = self._images_of(data).shape
        factor_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        if not training:
            return {"contrast_factor": ops.zeros(factor_shape)}
        factor = self._uniform(factor_shape, 1.0 - self.factor[0], 1.0 + self.factor[1], seed,
                               self.compute_dtype)
        return {"contrast_factor": factor}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        h, w = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        mean = ops.mean(ops.mean(images, axis=h, keepdims=True), axis=w, keepdims=True)
        out = (images - mean) * transformation["contrast_factor"] + mean
        return ops.clip(out, self.value_range[0], self.value_range[1])

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
