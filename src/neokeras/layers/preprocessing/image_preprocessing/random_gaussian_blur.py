"""`RandomGaussianBlur`: blurs images with a Gaussian of random width."""

import numpy as np

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


def _kernel_size(value):
    if isinstance(value, (tuple, list)):
        if len(value) != 2 or value[0] % 2 == 0 or value[1] % 2 == 0:
            raise ValueError("RandomGaussianBlur(kernel_size=...) must be an odd number or two "
                             f"odd numbers. Received: kernel_size={value!r}")
        return tuple(value)
    if isinstance(value, (int, float)) and value % 2 == 1:
        return (value, value)
    raise ValueError(f"RandomGaussianBlur(kernel_size=...) must be odd. Received: {value!r}")


def gaussian_blur(images, kernel_size, sigma):
    """Blurs channels-last images with a separable Gaussian (Keras's `image.gaussian_blur`)."""
    dtype = str(images.dtype)

    def kernel1d(size, s):
        x = ops.convert_to_tensor(np.arange(size) - (size - 1) / 2, dtype)
        k = ops.exp(-0.5 * (x / s) ** 2)
        return k / ops.sum(k)

    kx = kernel1d(int(kernel_size[0]), sigma[0])
    ky = kernel1d(int(kernel_size[1]), sigma[1])
    kernel = ops.reshape(ky, (-1, 1)) * ops.reshape(kx, (1, -1))
    channels = images.shape[-1]
    kernel = ops.tile(ops.reshape(kernel, tuple(kernel.shape) + (1, 1)), (1, 1, channels, 1))
    return ops.depthwise_conv(images, kernel, strides=1, padding="same",
                              data_format="channels_last")


@keras_name("keras.layers.RandomGaussianBlur")
class RandomGaussianBlur(BaseImagePreprocessingLayer):
    """Blurs each image with probability drawn from `factor`, sigma drawn from `sigma`.

    Args:
        factor: Blur probability, a number or a range in [0, 1] (default 1.0).
        kernel_size: Odd kernel size (or two).
        sigma: Upper bound (or range) of the Gaussian's standard deviation, in [0, 1].
        value_range: Range of the pixel values.
        data_format: "channels_last" (default) or "channels_first".
        seed: Int seed.
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(sigma)
        sigma_pair = self.factor
        self._set_factor(factor)
        self.kernel_size = _kernel_size(kernel_size)
        self.sigma = sigma_pair
        self.value_range = value_range
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        n = 1 if len(shape) == 3 else shape[0]
        probability = self._uniform((n,), self.factor[0], self.factor[1], seed)
        threshold = self._uniform((n,), 0.0, 1.0, seed)
        blur = self._uniform((2,), self.sigma[0], self.sigma[1], seed, self.compute_dtype) + 1e-6
        return {"should_apply_blur": threshold < probability, "blur_factor": blur}

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        blurred = self._restore_format(gaussian_blur(
            self._channels_last(images), self.kernel_size,
            ops.cast(transformation["blur_factor"], self.compute_dtype)))
        apply = ops.reshape(transformation["should_apply_blur"], (-1, 1, 1, 1))
        images = ops.clip(ops.where(apply, blurred, images), self.value_range[0],
                          self.value_range[1])
        return ops.cast(images, self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "kernel_size": self.kernel_size,
                "sigma": self.sigma, "value_range": self.value_range, "seed": self.seed}
