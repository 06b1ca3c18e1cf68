"""`RandomBrightness`: adds a random delta to all pixels of each image."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomBrightness")
class RandomBrightness(BaseImagePreprocessingLayer):
    """Adds `delta * (max - min)` of `value_range` per image during training, then clips.

    Args:
        factor: Number `f` (delta in `[-f, f]`) or a pair `(lower, upper)`, in [-1, 1].
        value_range: Range of the pixel values, e.g. (0, 255) or (0, 1).
        seed: Int seed.
    """

    _KEEPS_BOXES = True

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(factor=factor, **kwargs)
        if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
            raise ValueError("RandomBrightness(value_range=...) must be a pair (min, max). "
                             f"Received: value_range={value_range!r}")
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.value_range = sorted(value_range)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = self._images_of(data).shape
        delta_shape = (1, 1, 1) if len(shape) == 3 else (shape[0], 1, 1, 1)
        if not training:
            return {"rgb_delta": ops.zeros(delta_shape)}
        delta = self._uniform(delta_shape, self.factor[0], self.factor[1], seed)
        return {"rgb_delta": delta * (self.value_range[1] - self.value_range[0])}

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = images + ops.cast(transformation["rgb_delta"], images.dtype)
        return ops.clip(images, self.value_range[0], self.value_range[1])

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
