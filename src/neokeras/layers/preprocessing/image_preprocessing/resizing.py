"""`Resizing`: resizes images to a fixed height and width."""

import numpy as np

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


def resize_images(layer, images, size, interpolation, **kwargs):
    """Resizes images in `layer`'s data format; integer images are rounded and saturated."""
    dtype = images.dtype
    out = backend.impl.image.resize(layer._channels_last(images), size, interpolation,
                                    data_format="channels_last", **kwargs)
    out = layer._restore_format(out)
    if out.dtype == dtype:
        return out
    if np.issubdtype(np.dtype(str(dtype)), np.integer):
        info = np.iinfo(np.dtype(str(dtype)))
        out = ops.clip(ops.round(out), info.min, info.max)
    return ops.cast(out, dtype)


@keras_name("keras.layers.Resizing")
class Resizing(BaseImagePreprocessingLayer):
    """Resizes images to `(height, width)` (in training and inference).

    Args:
        height, width: Output size.
        interpolation: "bilinear" (default), "nearest", "bicubic", "lanczos3" or "lanczos5".
        crop_to_aspect_ratio: Crop the largest centered window of the target aspect ratio
            first, so the image is not distorted.
        pad_to_aspect_ratio: Pad (with `fill_value`) to the target aspect ratio first.
        fill_mode: Only "constant".
        fill_value: Padding value with `pad_to_aspect_ratio`.
        antialias: Antialias when downsampling.
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError("Resizing: only one of crop_to_aspect_ratio and "
                             "pad_to_aspect_ratio can be True.")
        if fill_mode != "constant":
            raise ValueError(f"Resizing: only fill_mode='constant' is supported. "
                             f"Received: fill_mode={fill_mode!r}")
        self.height = int(height)
        self.width = int(width)
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.antialias = bool(antialias)

    def _resize(self, images, interpolation):
        return resize_images(self, images, (self.height, self.width), interpolation,
                             antialias=self.antialias,
                             crop_to_aspect_ratio=self.crop_to_aspect_ratio,
                             pad_to_aspect_ratio=self.pad_to_aspect_ratio,
                             fill_value=self.fill_value)

    def get_random_transformation(self, data, training=True, seed=None):
        return self._hw(self._images_of(data).shape)

    def transform_images(self, images, transformation=None, training=True):
        return self._resize(images, self.interpolation)

    def transform_segmentation_masks(self, segmentation_masks, transformation=None,
                                     training=True):
        return self._resize(segmentation_masks, "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        height, width = transformation
        # All-zero and all -1 rows are padding; they stay zero boxes.
        padding = ops.logical_or(ops.all(bounding_boxes["boxes"] == -1, axis=-1),
                                 ops.all(bounding_boxes["boxes"] == 0, axis=-1))
        boxes = self._boxes_to(bounding_boxes, "xyxy", height, width)
        x1, y1, x2, y2 = ops.split(boxes["boxes"], 4, axis=-1)
        if self.pad_to_aspect_ratio:
            ratio = min(self.height / height, self.width / width)
            scale_x = scale_y = ratio
            shift_x = -((self.width - width * ratio) // 2)
            shift_y = -((self.height - height * ratio) // 2)
        elif self.crop_to_aspect_ratio:
            source, target = width / height, self.width / self.height
            new_width = self.height * source if source > target else self.width
            new_height = self.height if source > target else self.width / source
            scale_x, scale_y = new_width / width, new_height / height
            shift_x, shift_y = (new_width - self.width) // 2, (new_height - self.height) // 2
        else:
            scale_x, scale_y = self.width / width, self.height / height
            shift_x = shift_y = 0.0
        boxes["boxes"] = ops.concatenate([x1 * scale_x - shift_x, y1 * scale_y - shift_y,
                                          x2 * scale_x - shift_x, y2 * scale_y - shift_y],
                                         axis=-1)
        boxes = _bounding_boxes.clip(boxes, self.height, self.width)
        boxes["boxes"] = ops.where(padding[..., None], ops.zeros_like(boxes["boxes"]),
                                   boxes["boxes"])
        return self._boxes_from(boxes, "xyxy", self.height, self.width)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h, w = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        shape[h], shape[w] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}
