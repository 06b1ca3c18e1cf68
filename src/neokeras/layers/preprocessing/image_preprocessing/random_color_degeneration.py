"""`RandomColorDegeneration`: blends images towards their grayscale version."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomColorDegeneration")
class RandomColorDegeneration(BaseImagePreprocessingLayer):
    """Computes `x + f * (gray(x) - x)` per image, `f` drawn from `factor`, then clips.

    Args:
        factor: Number or range in [0, 1].
        value_range: Range of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: Int seed.
    """

    _KEEPS_BOXES = True

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = _color.check_value_range("RandomColorDegeneration", value_range)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        n = _color.batch_size("RandomColorDegeneration", self._images_of(data))
        return {"factor": self._uniform((n, 1, 1, 1), self.factor[0], self.factor[1], seed)}

    def transform_images(self, images, transformation=None, training=True):
        if not training:
            return images
        x = ops.cast(images, self.compute_dtype)
        f = ops.cast(transformation["factor"], self.compute_dtype)
        x = x + f * (_color.grayscale(self, x) - x)
        return ops.clip(x, self.value_range[0], self.value_range[1])

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
