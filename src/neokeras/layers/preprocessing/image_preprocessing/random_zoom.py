"""`RandomZoom`: zooms images in or out by a random factor."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes, _geometry
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomZoom")
class RandomZoom(BaseImagePreprocessingLayer):
    """Zooms images during training: a negative factor zooms in, a positive one out.

    Args:
        height_factor: Number `f` (zoom in `[1 - f, 1 + f]`) or a pair, each in (-1, 1].
        width_factor: The same for the width; None keeps the aspect ratio.
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        interpolation: "bilinear" (default) or "nearest".
        seed: Int seed.
        fill_value: Value outside the image with fill_mode="constant".
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height_factor = height_factor
        self.height_lower, self.height_upper = _geometry.check_factor_pair(
            "RandomZoom", height_factor, "height_factor", inclusive_lower=False)
        self.width_factor = width_factor
        if width_factor is not None:
            self.width_lower, self.width_upper = _geometry.check_factor_pair(
                "RandomZoom", width_factor, "width_factor", inclusive_lower=False)
        _geometry.check_fill_and_interpolation("RandomZoom", fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        zoom_shape = (shape[0], 1) if len(shape) == 4 else (1, 1)
        height_zoom = self._uniform(zoom_shape, 1.0 + self.height_lower,
                                    1.0 + self.height_upper, seed)
        if self.width_factor is not None:
            width_zoom = self._uniform(zoom_shape, 1.0 + self.width_lower,
                                       1.0 + self.width_upper, seed)
        else:
            width_zoom = height_zoom
        return {"height_zoom": height_zoom, "width_zoom": width_zoom, "input_shape": shape}

    def _matrix(self, transformation, shape):
        zooms = ops.cast(ops.concatenate([transformation["width_zoom"],
                                          transformation["height_zoom"]], axis=1), "float32")
        height, width = self._hw(shape)
        n = zooms.shape[0]
        x_offset = ((float(width) - 1.0) / 2.0) * (1.0 - zooms[:, 0:1])
        y_offset = ((float(height) - 1.0) / 2.0) * (1.0 - zooms[:, 1:])
        zeros = ops.zeros((n, 1))
        return ops.concatenate([zooms[:, 0:1], zeros, x_offset, zeros, zooms[:, 1:], y_offset,
                                zeros, zeros], axis=1)

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        return _geometry.apply_affine(self, images, self._matrix(transformation, images.shape))

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        return _geometry.apply_affine(self, segmentation_masks,
                                      self._matrix(transformation, segmentation_masks.shape),
                                      "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._boxes_hw(transformation)
        boxes = self._boxes_to(bounding_boxes, "xyxy", height, width)
        # The zoom maps output pixel p to input pixel zoom * p + offset; the output image
        # shows the input window [offset, zoom * size + offset).
        matrix = self._matrix(transformation, transformation["input_shape"])
        zoom_x, left, zoom_y, top = (matrix[:, i:i + 1, None] for i in (0, 2, 4, 5))
        right, bottom = zoom_x * width + left, zoom_y * height + top
        x1, y1, x2, y2 = ops.split(boxes["boxes"], 4, axis=-1)
        x1, x2 = ((ops.clip(x, left, right) - left) / (right - left) for x in (x1, x2))
        y1, y2 = ((ops.clip(y, top, bottom) - top) / (bottom - top) for y in (y1, y2))
        boxes["boxes"] = ops.concatenate([x1, y1, x2, y2], axis=-1)
        boxes = _bounding_boxes.clip(boxes, height, width, "rel_xyxy")
        return self._boxes_from(boxes, "rel_xyxy", height, width)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor, "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": self.seed,
                "fill_value": self.fill_value}
