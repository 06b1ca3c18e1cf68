"""`RandomColorJitter`: random brightness, contrast, saturation and hue, in that order."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)
from neokeras.layers.preprocessing.image_preprocessing.random_brightness import (
    RandomBrightness)
from neokeras.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from neokeras.layers.preprocessing.image_preprocessing.random_hue import RandomHue
from neokeras.layers.preprocessing.image_preprocessing.random_saturation import (
    RandomSaturation)


@keras_name("keras.layers.RandomColorJitter")
class RandomColorJitter(BaseImagePreprocessingLayer):
    """Applies the color augmentations whose factor is given, in Keras's order.

    Args:
        value_range: Range of the pixel values.
        brightness_factor, contrast_factor, saturation_factor, hue_factor: Factors of
            RandomBrightness, RandomContrast, RandomSaturation and RandomHue (None: skipped).
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self.seed = seed
        self.generator = SeedGenerator(seed)
        common = {"value_range": value_range, "seed": seed, "data_format": self.data_format}
        self.random_brightness = None if brightness_factor is None else RandomBrightness(
            brightness_factor, **common)
        self.random_contrast = None if contrast_factor is None else RandomContrast(
            contrast_factor, **common)
        self.random_saturation = None if saturation_factor is None else RandomSaturation(
            saturation_factor, **common)
        self.random_hue = None if hue_factor is None else RandomHue(hue_factor, **common)

    def _steps(self):
        return [layer for layer in (self.random_brightness, self.random_contrast,
                                    self.random_saturation, self.random_hue)
                if layer is not None]

    def transform_images(self, images, transformation, training=True):
        if not training:
            return images
        images = ops.cast(images, self.compute_dtype)
        for layer in self._steps():
            step = layer.get_random_transformation(images, seed=self.generator)
            images = layer.transform_images(images, step)
        return ops.cast(images, self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor,
                "saturation_factor": self.saturation_factor, "hue_factor": self.hue_factor,
                "seed": self.seed}
