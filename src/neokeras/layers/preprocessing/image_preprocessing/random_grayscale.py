"""`RandomGrayscale`: turns images to grayscale with probability `factor`."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomGrayscale")
class RandomGrayscale(BaseImagePreprocessingLayer):
    """Replaces each RGB image by its luma (broadcast over the channels) with probability
    `factor` during training.

    Args:
        factor: Probability in [0, 1] (default 0.5).
        data_format: "channels_last" (default) or "channels_first".
        seed: Int seed.
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if not 0 <= factor <= 1:
            raise ValueError(f"RandomGrayscale(factor=...) must be in [0, 1]. "
                             f"Received: factor={factor}")
        self.factor = factor
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, images, training=True, seed=None):
        images = self._images_of(images)
        n = _color.batch_size("RandomGrayscale", images)
        values = self._uniform((n,), 0.0, 1.0, seed)
        return ops.reshape(values < self.factor, (n, 1, 1, 1))

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        if transformation is None:
            transformation = self.get_random_transformation(images)
        return ops.where(transformation, _color.grayscale(self, images), images)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
