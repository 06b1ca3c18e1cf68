"""`RandomPosterization`: keeps a random number of bits of each color value."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomPosterization")
class RandomPosterization(BaseImagePreprocessingLayer):
    """Reduces each image to `bits` bits per channel (8-bit scale), `bits` drawn in `factor`.

    Args:
        factor: Number of bits, a number or a range, in [1, 8].
        value_range: Range of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: Int seed.
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (1, 8)
    _MAX_FACTOR = 8

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = _color.check_value_range("RandomPosterization", value_range)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        n = _color.batch_size("RandomPosterization", self._images_of(data))
        if self.factor[0] != self.factor[1]:
            bits = random.randint((n,), int(self.factor[0]), int(self.factor[1]),
                                  dtype="int32", seed=self._seed(seed))
        else:
            bits = ops.ones((n,), dtype="int32") * int(self.factor[0])
        return {"shift_factor": ops.cast(self._MAX_FACTOR - bits, "uint8")}

    def transform_images(self, images, transformation=None, training=True):
        if not training:
            return images
        shift = ops.cast(ops.reshape(transformation["shift_factor"], (-1, 1, 1, 1)), "int32")
        x = self._transform_value_range(images, self.value_range, (0, 255), self.compute_dtype)
        x = ops.cast(ops.cast(x, "uint8"), "int32")
        # (x >> s) << s, i.e. clear the low `s` bits.
        scale = ops.power(2, shift)
        x = ops.floor_divide(x, scale) * scale
        x = ops.cast(x, self.compute_dtype)
        return self._transform_value_range(x, (0, 255), self.value_range, self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
