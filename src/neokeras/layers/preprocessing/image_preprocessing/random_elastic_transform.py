"""`RandomElasticTransform`: warps images by a random smooth displacement field."""

import numpy as np

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)

_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_ORDERS = {"nearest": 0, "bilinear": 1}


def _unit_range(scale):
    """(lower, upper) in [0, 1] from a number `s` (meaning `(0, s)`) or a pair."""
    message = ("RandomElasticTransform: `scale` must be a number or a pair of numbers in "
               f"[0, 1]. Received: scale={scale!r}")
    if isinstance(scale, (tuple, list)):
        if len(scale) != 2 or scale[0] > 1 or scale[1] < 0:
            raise ValueError(message)
        return tuple(sorted(scale))
    if isinstance(scale, (int, float)) and not isinstance(scale, bool) and 0 <= scale <= 1:
        return (0, scale)
    raise ValueError(message)


@keras_name("keras.layers.RandomElasticTransform")
class RandomElasticTransform(BaseImagePreprocessingLayer):
    """Elastic distortion during training: pixels move along Gaussian-smoothed random noise.

    For an image of size `(h, w)` and a distortion `s` drawn from `scale`, the noise has
    standard deviation and blur width `sigma = 0.05 * s * min(h, w)`, and is scaled by
    `alpha = 0.1 * s * max(h, w)` pixels (as Keras, one noise field moves both axes). Inside a
    compiled function the blur window is sized for the largest `s` of `scale`.

    Args:
        factor: Probability of transforming an image, a number or a range in [0, 1].
        scale: Distortion strength, a number or a range in [0, 1].
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "constant", "nearest", "wrap" or "mirror".
        fill_value: Value outside the image with fill_mode="constant".
        value_range: Range of the pixel values; the output is clipped to it.
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = _unit_range(scale)
        if interpolation not in _ORDERS:
            raise NotImplementedError(f"RandomElasticTransform: unknown interpolation "
                                      f"{interpolation!r}; expected one of {tuple(_ORDERS)}.")
        if fill_mode not in _FILL_MODES:
            raise NotImplementedError(f"RandomElasticTransform: unknown fill_mode {fill_mode!r}; "
                                      f"expected one of {_FILL_MODES}.")
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        shape = self._images_of(data).shape
        n = 1 if len(shape) == 3 else shape[0]
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        threshold = self._uniform((n,), 0.0, 1.0, seed)
        distortion = self._uniform((), self.scale[0], self.scale[1], seed, self.compute_dtype)
        # One key for the noise, so images and masks move by the same field.
        return {"apply_transform": threshold < probability, "distortion_factor": distortion,
                "seed": self._noise_key(self._seed(seed))}

    def _noise_key(self, seed):
        if isinstance(seed, (int, np.integer)):
            return ops.convert_to_tensor(backend.random.seed_data(seed))
        if isinstance(seed, SeedGenerator):
            return seed.next()
        return seed

    def _warp(self, images, transformation, interpolation):
        x = self._channels_last(images)
        batch, height, width, channels = x.shape
        distortion = transformation["distortion_factor"]
        alpha = max(height, width) * 0.1 * distortion
        sigma = min(height, width) * 0.05 * distortion
        widest = min(height, width) * 0.05 * self.scale[1]
        size = int(6 * (widest if backend.is_tracer(sigma) else float(sigma))) | 1
        noise = random.normal((batch, height, width), dtype=x.dtype,
                              seed=self._noise_key(transformation["seed"])) * sigma
        field = ops.image.gaussian_blur(noise[..., None], (size, size), ops.stack([sigma, sigma]),
                                        data_format="channels_last")[..., 0]
        rows = ops.arange(height, dtype=x.dtype)[None, :, None] + alpha * field
        cols = ops.arange(width, dtype=x.dtype)[None, None, :] + alpha * field
        # Sample the (batch, h, w, c) array at exact batch and channel indices.
        shape = (batch, height, width, channels)
        coordinates = ops.stack([
            ops.broadcast_to(ops.reshape(ops.arange(batch, dtype=x.dtype), (-1, 1, 1, 1)), shape),
            ops.broadcast_to(rows[..., None], shape), ops.broadcast_to(cols[..., None], shape),
            ops.broadcast_to(ops.arange(channels, dtype=x.dtype), shape)])
        warped = ops.image.map_coordinates(x, coordinates, _ORDERS[interpolation],
                                           fill_mode=self.fill_mode, fill_value=self.fill_value)
        apply = ops.reshape(transformation["apply_transform"], (-1, 1, 1, 1))
        out = ops.where(apply, warped, x)
        out = ops.clip(out, self.value_range[0], self.value_range[1])
        return ops.cast(self._restore_format(out), self.compute_dtype)

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        return self._warp(images, transformation, self.interpolation)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        return self._warp(segmentation_masks, transformation, "nearest")

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "scale": self.scale,
                "interpolation": self.interpolation, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "value_range": self.value_range,
                "seed": self.seed}
