"""`RandomHue`: shifts the hue of each image by a random amount."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomHue")
class RandomHue(BaseImagePreprocessingLayer):
    """Rotates the hue of each RGB image by up to `factor / 2` of a turn, either direction.

    Args:
        factor: Number or range in [0, 1]; 1 allows any hue.
        value_range: Range of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: Int seed.
    """

    _KEEPS_BOXES = True
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        n = _color.batch_size("RandomHue", self._images_of(data))
        direction = self._uniform((n,), 0.0, 1.0, seed)
        direction = ops.where(direction > 0.5, -ops.ones_like(direction),
                              ops.ones_like(direction))
        amount = self._uniform((n,), self.factor[0], self.factor[1], seed)
        return {"factor": direction * amount * 0.5}

    def transform_images(self, images, transformation=None, training=True):
        if not training:
            return images
        x = ops.cast(images, self.compute_dtype)
        x = self._transform_value_range(x, self.value_range, (0, 1))
        shift = ops.reshape(ops.cast(transformation["factor"], x.dtype), (-1, 1, 1))
        hsv = _color.to_hsv(self, x)
        hue = hsv[..., 0] + shift
        hue = ops.where(hue > 1.0, hue - 1.0, hue)
        hue = ops.where(hue < 0.0, hue + 1.0, hue)
        x = _color.from_hsv(self, ops.stack([hue, hsv[..., 1], hsv[..., 2]], axis=-1))
        x = self._transform_value_range(ops.clip(x, 0, 1), (0, 1), self.value_range)
        return ops.cast(x, self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
