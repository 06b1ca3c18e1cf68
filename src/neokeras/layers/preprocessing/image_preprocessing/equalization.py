"""`Equalization`: histogram equalization of each channel of each image."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.image_preprocessing import _color
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.Equalization")
class Equalization(BaseImagePreprocessingLayer):
    """Spreads each channel's values evenly over the range through its cumulative histogram.

    As in Keras, the histogram is taken over the whole batch per channel; applied in
    training only.

    Args:
        value_range: Range of the pixel values.
        bins: Number of histogram bins (default 256).
        data_format: "channels_last" (default) or "channels_first".
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.bins = int(bins)
        self.value_range = _color.check_value_range("Equalization", value_range)

    @staticmethod
    def _scale(values, source, target):
        scale = (target[1] - target[0]) / (source[1] - source[0])
        return values * scale + (target[0] - source[0] * scale)

    def _histogram(self, channel):
        scaled = (ops.cast(channel, "float32") - 0.0) * (self.bins - 1) / 255.0
        indices = ops.clip(ops.cast(scaled, "int32"), 0, self.bins - 1)
        return ops.sum(ops.one_hot(ops.reshape(indices, (-1,)), self.bins, dtype="int32"), axis=0)

    def _equalize(self, channel):
        value_range = tuple(self.value_range)
        if value_range != (0, 255):
            channel = self._scale(channel, value_range, (0, 255))
        hist = self._histogram(channel)
        cdf = ops.cumsum(hist)
        cdf_min = ops.take(cdf, ops.argmax(cdf > 0))
        denominator = cdf[-1] - cdf_min
        denominator = ops.where(denominator == 0, ops.ones_like(denominator), denominator)
        table = ops.clip(ops.round(((cdf - cdf_min) * 255) / denominator), 0, 255)
        indices = ops.cast(ops.clip((channel / 255.0) * (self.bins - 1), 0, self.bins - 1),
                           "int32")
        equalized = ops.where(ops.count_nonzero(hist) <= 1, channel, ops.take(table, indices))
        if value_range != (0, 255):
            equalized = self._scale(equalized, (0, 255), value_range)
        return equalized

    def transform_images(self, images, transformation=None, training=True):
        if not training:
            return images
        x = ops.cast(images, self.compute_dtype)
        axis = -1 if self.data_format == "channels_last" else -3
        channels = [self._equalize(ops.take(x, i, axis=axis)) for i in range(x.shape[axis])]
        return ops.cast(ops.stack(channels, axis=axis), self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "bins": self.bins, "value_range": self.value_range}
