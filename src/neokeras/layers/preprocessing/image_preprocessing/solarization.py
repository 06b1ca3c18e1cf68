"""`Solarization`: inverts pixels above a random threshold after a random addition."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


def _unit_pair(name, factor):
    message = (f"Solarization: `{name}` must be a number or a pair of numbers in [0, 1]. "
               f"Received: {name}={factor!r}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(0 <= f <= 1 for f in factor):
            raise ValueError(message)
        return tuple(sorted(factor))
    if isinstance(factor, (int, float)) and not isinstance(factor, bool) and 0 <= factor <= 1:
        return (0, factor)
    raise ValueError(message)


@keras_name("keras.layers.Solarization")
class Solarization(BaseImagePreprocessingLayer):
    """Adds a random amount to each image, then inverts pixels above a random threshold.

    On the 0-255 scale: `y = clip(x + a, 0, 255)`, then `255 - y` where `y >= t`.

    Args:
        addition_factor: Number `f` (a in `[0, f] * 255`) or a range, in [0, 1].
        threshold_factor: Number `f` (t in `[0, f] * 255`) or a range, in [0, 1].
        value_range: Range of the pixel values.
        seed: Int seed.
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.addition_factor = _unit_pair("addition_factor", addition_factor)
        self.threshold_factor = _unit_pair("threshold_factor", threshold_factor)
        self.value_range = _color.check_value_range("Solarization", value_range)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        factor_shape = (shape[0], 1, 1, 1) if len(shape) == 4 else (1, 1, 1)
        additions = self._uniform(factor_shape, self.addition_factor[0],
                                  self.addition_factor[1] * 255, seed, self.compute_dtype)
        thresholds = self._uniform(factor_shape, self.threshold_factor[0],
                                   self.threshold_factor[1] * 255, seed, self.compute_dtype)
        return {"additions": additions, "thresholds": thresholds}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        x = self._transform_value_range(images, self.value_range, (0, 255), self.compute_dtype)
        x = ops.clip(x + transformation["additions"], 0, 255)
        x = ops.where(x < transformation["thresholds"], x, 255 - x)
        x = self._transform_value_range(x, (0, 255), self.value_range, self.compute_dtype)
        return x

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "seed": self.seed}
