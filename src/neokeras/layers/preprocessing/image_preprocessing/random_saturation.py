"""`RandomSaturation`: scales the saturation of each image by a random factor."""

from neokeras import config as config_module
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomSaturation")
class RandomSaturation(BaseImagePreprocessingLayer):
    """Multiplies the HSV saturation by `f / (1 - f)`, `f` drawn from `factor`.

    `f = 0.5` keeps the image; 0 makes it gray, values near 1 fully saturate it.

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
        self.value_range = _color.check_value_range("RandomSaturation", value_range)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        n = _color.batch_size("RandomSaturation", self._images_of(data))
        f = self._uniform((n,), self.factor[0], self.factor[1], seed)
        return {"factor": f / (1 - f + config_module.epsilon())}

    def transform_images(self, images, transformation=None, training=True):
        if not training:
            return images
        scale = ops.reshape(ops.cast(transformation["factor"], self.compute_dtype), (-1, 1, 1))
        hsv = _color.to_hsv(self, images)
        saturation = ops.clip(hsv[..., 1] * scale, self.value_range[0], self.value_range[1])
        return _color.from_hsv(self, ops.stack([hsv[..., 0], saturation, hsv[..., 2]], axis=-1))

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
