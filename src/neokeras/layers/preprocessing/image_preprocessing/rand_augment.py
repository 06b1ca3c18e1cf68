"""`RandAugment`: applies `num_ops` augmentations picked at random from a fixed list."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.preprocessing.image_preprocessing.auto_contrast import AutoContrast
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)
from neokeras.layers.preprocessing.image_preprocessing.equalization import Equalization
from neokeras.layers.preprocessing.image_preprocessing.random_brightness import (
    RandomBrightness)
from neokeras.layers.preprocessing.image_preprocessing.random_color_degeneration import (
    RandomColorDegeneration)
from neokeras.layers.preprocessing.image_preprocessing.random_contrast import RandomContrast
from neokeras.layers.preprocessing.image_preprocessing.random_posterization import (
    RandomPosterization)
from neokeras.layers.preprocessing.image_preprocessing.random_rotation import RandomRotation
from neokeras.layers.preprocessing.image_preprocessing.random_sharpness import RandomSharpness
from neokeras.layers.preprocessing.image_preprocessing.random_shear import RandomShear
from neokeras.layers.preprocessing.image_preprocessing.random_translation import (
    RandomTranslation)
from neokeras.layers.preprocessing.image_preprocessing.solarization import Solarization


@keras_name("keras.layers.RandAugment")
class RandAugment(BaseImagePreprocessingLayer):
    """RandAugment (Cubuk et al., 2019): `num_ops` times, one of shear, translation,
    rotation, brightness, color degeneration, contrast, sharpness, posterization,
    solarization, auto-contrast and equalization, each at strength `factor`.

    Args:
        value_range: Range of the pixel values.
        num_ops: Number of augmentations applied in sequence.
        factor: Strength, a number or a range in [0, 1] (default 0.5).
        interpolation: "bilinear" (default) or "nearest", for the geometric ones.
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)
    _AUGMENT_LAYERS = ["random_shear", "random_translation", "random_rotation",
                       "random_brightness", "random_color_degeneration", "random_contrast",
                       "random_sharpness", "random_posterization", "solarization",
                       "auto_contrast", "equalization"]

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear",
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self._set_factor(factor)
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)
        f = self.factor
        common = {"seed": seed, "data_format": data_format,
                  "bounding_box_format": self.bounding_box_format}
        color = {**common, "value_range": value_range}
        self.random_shear = RandomShear(x_factor=f, y_factor=f, interpolation=interpolation,
                                        **common)
        self.random_translation = RandomTranslation(height_factor=f, width_factor=f,
                                                    interpolation=interpolation, **common)
        self.random_rotation = RandomRotation(factor=f, interpolation=interpolation, **common)
        self.random_brightness = RandomBrightness(factor=f, **color)
        self.random_color_degeneration = RandomColorDegeneration(factor=f, **color)
        self.random_contrast = RandomContrast(factor=f, **color)
        self.random_sharpness = RandomSharpness(factor=f, **color)
        self.solarization = Solarization(addition_factor=f, threshold_factor=f, **color)
        self.random_posterization = RandomPosterization(factor=max(1, int(8 * f[1])), **color)
        self.auto_contrast = AutoContrast(value_range=value_range, data_format=data_format,
                                          bounding_box_format=self.bounding_box_format)
        self.equalization = Equalization(value_range=value_range, data_format=data_format,
                                         bounding_box_format=self.bounding_box_format)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        idxes = random.randint((self.num_ops,), 0, len(self._AUGMENT_LAYERS),
                               seed=self.generator)
        transforms = {name: getattr(self, name).get_random_transformation(
            data, training=training, seed=self.generator) for name in self._AUGMENT_LAYERS}
        return {"layer_idxes": idxes, "transforms": transforms}

    def _apply(self, values, transformation, method):
        for i in range(self.num_ops):
            for idx, (name, step) in enumerate(transformation["transforms"].items()):
                out = getattr(getattr(self, name), method)(values, step)
                values = ops.where(transformation["layer_idxes"][i] == idx, out, values)
        return values

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if training and transformation is not None:
            images = self._apply(images, transformation, "transform_images")
        return ops.cast(images, self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training and transformation is not None:
            return self._apply(segmentation_masks, transformation,
                               "transform_segmentation_masks")
        return segmentation_masks

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        # The boxes follow the pixels: the same steps in the same order as transform_images.
        # (Keras 3.15.1 gives its sub-layers no box format, so its boxes fail.)
        if not training or transformation is None:
            return bounding_boxes
        for i in range(self.num_ops):
            for idx, (name, step) in enumerate(transformation["transforms"].items()):
                out = getattr(self, name).transform_bounding_boxes(dict(bounding_boxes), step)
                chosen = transformation["layer_idxes"][i] == idx
                bounding_boxes = {**bounding_boxes, **{
                    key: ops.where(chosen, out[key], bounding_boxes[key])
                    for key in ("boxes", "labels")}}
        return bounding_boxes

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_ops": self.num_ops, "factor": self.factor,
                "interpolation": self.interpolation, "seed": self.seed}
