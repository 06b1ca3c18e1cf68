"""`AutoContrast`: stretches each image's values to the full range."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.AutoContrast")
class AutoContrast(BaseImagePreprocessingLayer):
    """Maps each channel of each image linearly so its min and max span `value_range`.

    Applied in training and inference.

    Args:
        value_range: Range of the pixel values.
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = _color.check_value_range("AutoContrast", value_range)

    def transform_images(self, images, transformation=None, training=True):
        original = images
        x = self._transform_value_range(images, self.value_range, (0, 255), self.compute_dtype)
        x = ops.cast(x, self.compute_dtype)
        low = ops.min(x, axis=(1, 2), keepdims=True)
        high = ops.max(x, axis=(1, 2), keepdims=True)
        scale = 255.0 / (high - low)
        x = ops.clip(x * scale + (-low * scale), 0.0, 255.0)
        x = self._transform_value_range(x, (0, 255), self.value_range, self.compute_dtype)
        x = ops.where(ops.isnan(x), ops.cast(original, x.dtype), x)
        return x

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range}
