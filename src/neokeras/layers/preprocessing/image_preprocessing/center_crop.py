"""`CenterCrop`: crops the central `height x width` window of images."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)
from neokeras.layers.preprocessing.image_preprocessing.resizing import resize_images


@keras_name("keras.layers.CenterCrop")
class CenterCrop(BaseImagePreprocessingLayer):
    """Crops the center of images to `(height, width)`, in training and inference.

    Images smaller than the target are first cropped to its aspect ratio and resized up
    (as `keras.utils.smart_resize`).

    Args:
        height, width: Output size.
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = int(height)
        self.width = int(width)

    def get_random_transformation(self, data, training=True, seed=None):
        return {"input_shape": self._images_of(data).shape}

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        height, width = self._hw(images.shape)
        dh, dw = height - self.height, width - self.width
        if dh >= 0 and dw >= 0:
            top, left = dh // 2, dw // 2
            if self.data_format == "channels_last":
                return images[..., top:top + self.height, left:left + self.width, :]
            return images[..., top:top + self.height, left:left + self.width]
        return resize_images(self, images, (self.height, self.width), "bilinear",
                             crop_to_aspect_ratio=True)

    def transform_segmentation_masks(self, segmentation_masks, transformation=None,
                                     training=True):
        return self.transform_images(segmentation_masks, transformation, training)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
