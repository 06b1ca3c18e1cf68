"""`RandomErasing`: fills a random box of each image with noise or a constant."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.preprocessing.image_preprocessing import _boxes
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomErasing")
class RandomErasing(BaseImagePreprocessingLayer):
    """Random Erasing (Zhong et al., 2017): erases a random box with some probability.

    Args:
        factor: Erasing probability, a number or a range in [0, 1] (default 1.0).
        scale: Range of each box side's squared share of the image side (default
            (0.02, 0.33)).
        fill_value: None (Gaussian noise scaled to the range), a number, or 3 channel values.
        value_range: Range of the pixel values.
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        factor_pair = self.factor
        self._set_factor(scale)
        self.scale, self.factor = self.factor, factor_pair
        if fill_value is not None and not (
                isinstance(fill_value, (int, float)) or
                isinstance(fill_value, (tuple, list)) and len(fill_value) == 3):
            raise ValueError("RandomErasing(fill_value=...) must be None, a number or three "
                             f"channel values. Received: fill_value={fill_value!r}")
        self.fill_value = fill_value
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def _fill(self, images, shape, seed):
        if self.fill_value is None:
            fill = random.normal(tuple(shape), dtype=self.compute_dtype,
                                 seed=self._seed(seed)) * self.value_range[1]
        elif isinstance(self.fill_value, (tuple, list)):
            values = ops.convert_to_tensor(self.fill_value, self.compute_dtype)
            if self.data_format == "channels_first":
                values = ops.reshape(values, (3, 1, 1))
            fill = ops.broadcast_to(values, tuple(shape))
        else:
            fill = ops.ones(tuple(shape), dtype=self.compute_dtype) * self.fill_value
        return ops.clip(fill, self.value_range[0], self.value_range[1])

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        images = self._images_of(data)
        shape = images.shape
        n = 1 if len(shape) == 3 else shape[0]
        height, width = self._hw(shape)
        sides = ops.sqrt(self._uniform((n, 2), self.scale[0], self.scale[1], seed,
                                       self.compute_dtype))
        x0, x1 = _boxes.crop_bounds(self, n, width, sides[:, 0], seed)
        y0, y1 = _boxes.crop_bounds(self, n, height, sides[:, 1], seed)
        masks = _boxes.box_masks(self, shape if len(shape) == 4 else (1,) + tuple(shape),
                                 x0, x1, y0, y1)
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        threshold = self._uniform((n,), 0.0, 1.0, seed)
        return {"apply_erasing": threshold < probability, "batch_masks": masks,
                "fill_value": self._fill(images, shape, seed)}

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if training and transformation is not None:
            erased = ops.where(transformation["batch_masks"], transformation["fill_value"],
                               images)
            apply = ops.reshape(transformation["apply_erasing"], (-1, 1, 1, 1))
            images = ops.where(apply, erased, images)
        return ops.cast(images, self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "fill_value": self.fill_value, "value_range": self.value_range,
                "seed": self.seed}
