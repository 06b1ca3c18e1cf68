"""`RandomSharpness`: sharpens or blurs images by a random amount."""

import numpy as np

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomSharpness")
class RandomSharpness(BaseImagePreprocessingLayer):
    """Blends each image with a smoothed copy: `x + (1 - 2f) * (smooth(x) - x)`.

    `f` drawn from `factor`: 0.5 keeps the image, 0 smooths it, 1 sharpens it.

    Args:
        factor: Number or range in [0, 1].
        value_range: Range of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: Int seed.
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.value_range = _color.check_value_range("RandomSharpness", value_range)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        n = _color.batch_size("RandomSharpness", self._images_of(data))
        return {"factor": self._uniform((n,), self.factor[0], self.factor[1], seed)}

    def transform_images(self, images, transformation=None, training=True):
        x = ops.cast(images, self.compute_dtype)
        if not training:
            return x
        x = self._channels_last(x)
        amount = ops.reshape(ops.cast(transformation["factor"] * 2, self.compute_dtype),
                             (-1, 1, 1, 1))
        a, b = 1.0 / 13.0, 5.0 / 13.0
        kernel = np.array([[a, a, a], [a, b, a], [a, a, a]], dtype=self.compute_dtype)
        kernel = np.tile(kernel.reshape(3, 3, 1, 1), (1, 1, x.shape[-1], 1))
        smoothed = ops.depthwise_conv(x, ops.convert_to_tensor(kernel), strides=1,
                                      padding="same", data_format="channels_last")
        x = x + (1.0 - amount) * (ops.cast(smoothed, self.compute_dtype) - x)
        x = ops.clip(x, self.value_range[0], self.value_range[1])
        return self._restore_format(x)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}
