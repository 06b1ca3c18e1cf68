"""`RandomCrop`: crops a random `height x width` window during training."""

import random as _py_random

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)
from neokeras.layers.preprocessing.image_preprocessing.resizing import resize_images


@keras_name("keras.layers.RandomCrop")
class RandomCrop(BaseImagePreprocessingLayer):
    """Crops a random window (the same for the whole batch) of `(height, width)` in training.

    Like Keras 3.15, inference returns the images unchanged; images not larger than the
    target in training are center-cropped to its aspect ratio and resized.

    Args:
        height, width: Output size.
        seed: Int seed (one is drawn when None, and saved in the config as Keras does).
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(data_format=data_format, name=name, **kwargs)
        self.height = int(height)
        self.width = int(width)
        self.seed = seed if seed is not None else _py_random.randint(1, int(1e9))
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        height, width = self._hw(self._images_of(data).shape)
        if height is None or width is None:
            raise ValueError("RandomCrop needs inputs with a known height and width. "
                             f"Received shape {self._images_of(data).shape}.")
        if training and height > self.height and width > self.width:
            top = ops.cast(self._uniform((), 0, float(height - self.height + 1), seed), "int32")
            left = ops.cast(self._uniform((), 0, float(width - self.width + 1), seed), "int32")
            return top, left, (height, width)
        crop_height = max(min(height, int(float(width * self.height) / self.width)), 1)
        crop_width = max(min(width, int(float(height * self.width) / self.height)), 1)
        return (int(float(height - crop_height) / 2), int(float(width - crop_width) / 2),
                (height, width))

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        top, left = transformation[:2]  # (top, left[, input size]), as Keras draws it
        last = self.data_format == "channels_last"
        images = self._channels_last(images)
        if isinstance(top, int):
            images = images[..., top:top + self.height, left:left + self.width, :]
        else:  # a drawn (possibly traced) offset
            images = _dynamic_crop(images, top, left, self.height, self.width)
        images = images if last else self._restore_format(images)
        h, w = self._hw(images.shape)
        if h != self.height or w != self.width:
            images = ops.cast(resize_images(self, images, (self.height, self.width), "bilinear"),
                              self.compute_dtype)
        return images

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training)

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        # (Keras 3.15.1 shifts x by the vertical offset and y by the horizontal one, and
        # ignores the resize of small images; boxes here follow the pixels.)
        if not training:
            return bounding_boxes
        top, left, (height, width) = transformation
        boxes = self._boxes_to(bounding_boxes, "xyxy", height, width)
        if isinstance(top, int):  # the window may be cut by the border, then resized
            window_h, window_w = min(height, top + self.height) - top, \
                min(width, left + self.width) - left
        else:
            window_h, window_w = self.height, self.width
        dtype = boxes["boxes"].dtype
        top, left = ops.cast(top, dtype), ops.cast(left, dtype)
        x1, y1, x2, y2 = ops.split(boxes["boxes"], 4, axis=-1)
        scale_x, scale_y = self.width / window_w, self.height / window_h
        boxes["boxes"] = ops.concatenate([(x1 - left) * scale_x, (y1 - top) * scale_y,
                                          (x2 - left) * scale_x, (y2 - top) * scale_y], axis=-1)
        boxes = _bounding_boxes.clip(boxes, self.height, self.width)
        return self._boxes_from(boxes, "xyxy", self.height, self.width)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "seed": self.seed}


def _dynamic_crop(images, top, left, height, width):
    """`images[..., top:top+height, left:left+width, :]` for array-valued offsets."""
    rows = ops.arange(height) + top
    cols = ops.arange(width) + left
    images = ops.take(images, rows, axis=-3)
    return ops.take(images, cols, axis=-2)
