"""`CenterCrop`: crops the central `height x width` window of images."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes
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

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        height, width = self._boxes_hw(transformation)
        boxes = self._boxes_to(bounding_boxes, "xyxy", height, width)
        if height >= self.height and width >= self.width:
            crop_height, crop_width = self.height, self.width
        else:  # the aspect-ratio crop that is then resized (see transform_images)
            crop_height = max(min(height, int(float(width * self.height) / self.width)), 1)
            crop_width = max(min(width, int(float(height * self.width) / self.height)), 1)
        top, left = int((height - crop_height) / 2), int((width - crop_width) / 2)
        x1, y1, x2, y2 = ops.split(boxes["boxes"], 4, axis=-1)
        scale_x, scale_y = self.width / crop_width, self.height / crop_height
        x1, x2 = ((ops.clip(x, left, left + crop_width) - left) * scale_x for x in (x1, x2))
        y1, y2 = ((ops.clip(y, top, top + crop_height) - top) * scale_y for y in (y1, y2))
        boxes["boxes"] = ops.concatenate([x1, y1, x2, y2], axis=-1)
        boxes = _bounding_boxes.clip(boxes, self.height, self.width)
        return self._boxes_from(boxes, "xyxy", self.height, self.width)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
