"""`RandomPerspective`: moves the image corners at random (a projective warp)."""

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomPerspective")
class RandomPerspective(BaseImagePreprocessingLayer):
    """Warps each image (with a probability drawn from `factor`) by moving its four corners
    by up to `scale / 2` of their coordinates.

    Args:
        factor: Probability, a number or a range in [0, 1] (default 1.0).
        scale: Distortion strength in [0, 1].
        interpolation: "bilinear" (default) or "nearest".
        fill_value: Value outside the warped image.
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0,
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        if not 0.0 <= scale <= 1.0:
            raise ValueError(f"RandomPerspective(scale=...) must be in [0, 1]. "
                             f"Received: scale={scale}")
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(f"RandomPerspective: unknown interpolation "
                                      f"{interpolation!r}; expected 'nearest' or 'bilinear'.")
        self.scale = scale
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        n = 1 if len(shape) == 3 else shape[0]
        height, width = self._hw(shape)
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        threshold = self._uniform((n,), 0.0, 1.0, seed)
        factor = self._uniform((n, 4, 2), -0.5 * self.scale, 0.5 * self.scale, seed,
                               self.compute_dtype)
        corners = ops.convert_to_tensor([[[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1],
                                          [width - 1, height - 1]]], dtype=self.compute_dtype)
        start = ops.repeat(corners, n, axis=0)
        return {"apply_perspective": threshold < probability, "start_points": start,
                "end_points": start + start * factor, "input_shape": shape}

    def _warp(self, images, transformation, interpolation):
        out = self._restore_format(backend.impl.image.perspective_transform(
            self._channels_last(images), transformation["start_points"],
            transformation["end_points"], interpolation=interpolation,
            fill_value=self.fill_value, data_format="channels_last"))
        apply = ops.reshape(transformation["apply_perspective"], (-1, 1, 1, 1))
        return ops.where(apply, out, images)

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        return self._warp(images, transformation, self.interpolation)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        return self._warp(segmentation_masks, transformation, "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._boxes_hw(transformation)
        boxes = self._boxes_to(bounding_boxes, "xyxy", height, width)
        dtype = boxes["boxes"].dtype
        # The warp maps output pixels to input pixels; its inverse moves the box corners.
        coeffs = _homography(ops.cast(transformation["start_points"], "float32"),
                             ops.cast(transformation["end_points"], "float32"))
        matrix = ops.reshape(ops.concatenate([coeffs, ops.ones_like(coeffs[:, :1])], axis=-1),
                             (-1, 3, 3))
        inverse = ops.cast(ops.inv(matrix), dtype)
        x1, y1, x2, y2 = (boxes["boxes"][..., i] for i in range(4))
        xs = ops.stack([x1, x2, x1, x2], axis=-1)
        ys = ops.stack([y1, y2, y2, y1], axis=-1)
        points = ops.stack([xs, ys, ops.ones_like(xs)], axis=-1)  # (batch, n, 4, 3)
        moved = ops.einsum("bij,bnkj->bnki", inverse, points)
        xs, ys = moved[..., 0] / moved[..., 2], moved[..., 1] / moved[..., 2]
        moved_boxes = ops.stack([ops.min(xs, axis=-1), ops.min(ys, axis=-1),
                                 ops.max(xs, axis=-1), ops.max(ys, axis=-1)], axis=-1)
        apply = ops.reshape(transformation["apply_perspective"], (-1, 1, 1))
        boxes["boxes"] = ops.where(apply, moved_boxes, boxes["boxes"])
        boxes = _bounding_boxes.clip(boxes, height, width)
        return self._boxes_from(boxes, "xyxy", height, width)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_value": self.fill_value,
                "seed": self.seed}


def _homography(start, end):
    """Per image, the 8 coefficients of the projective map taking `end` points to `start`."""
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zero, one = ops.zeros_like(ex), ops.ones_like(ex)
    rows_x = ops.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1)
    rows_y = ops.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1)
    system = ops.concatenate([rows_x, rows_y], axis=1)
    return ops.solve(system, ops.concatenate([sx, sy], axis=-1)[..., None])[..., 0]
