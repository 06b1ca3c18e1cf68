"""`RandomInvert`: inverts pixel values (`max - x`) at random."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomInvert")
class RandomInvert(BaseImagePreprocessingLayer):
    """Inverts each image (`value_range[1] - x`) with a random probability during training.

    Args:
        factor: Inversion probability, a number or a range in [0, 1] (default 1.0).
        value_range: Range of the pixel values.
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        n = _color.batch_size("RandomInvert", self._images_of(data))
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        threshold = self._uniform((n,), 0.0, 1.0, seed)
        return {"apply_inversion": threshold < probability}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        apply = ops.reshape(transformation["apply_inversion"], (-1, 1, 1, 1))
        return ops.where(apply, self.value_range[1] - images, images)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
