"""`AugMix`: mixes several random augmentation chains with the original image."""

import random as _py_random

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

AUGMENT_LAYERS = ["random_shear", "random_translation", "random_rotation",
                  "random_posterization", "solarization", "auto_contrast", "equalization"]
AUGMENT_LAYERS_ALL = AUGMENT_LAYERS + ["random_brightness", "random_color_degeneration",
                                       "random_contrast", "random_sharpness"]


@keras_name("keras.layers.AugMix")
class AugMix(BaseImagePreprocessingLayer):
    """AugMix (Hendrycks et al., 2020): `w * x + (1 - w) * sum_i m_i chain_i(x)`, with
    `m ~ Dirichlet(alpha)`, `w ~ Beta(alpha, alpha)` and chains of up to `chain_depth`
    random augmentations.

    As in Keras, the operations of each chain are picked with Python's `random` module
    (seeded by `utils.set_random_seed`), once per call or trace.

    Args:
        value_range: Range of the pixel values.
        num_chains: Number of chains mixed.
        chain_depth: Maximum augmentations per chain.
        factor: Strength of the augmentations, a number or a range in [0, 1].
        alpha: Dirichlet and Beta parameter.
        all_ops: Also use brightness, color, contrast and sharpness operations.
        interpolation: "bilinear" (default) or "nearest".
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _KEEPS_BOXES = True
    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3,
                 alpha=1.0, all_ops=True, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self._set_factor(factor)
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self._augment_layers = AUGMENT_LAYERS_ALL if all_ops else AUGMENT_LAYERS
        f = self.factor
        common = {"seed": seed, "data_format": data_format}
        color = {**common, "value_range": value_range}
        self.random_shear = RandomShear(x_factor=f, y_factor=f, interpolation=interpolation,
                                        **common)
        self.random_translation = RandomTranslation(height_factor=f, width_factor=f,
                                                    interpolation=interpolation, **common)
        self.random_rotation = RandomRotation(factor=f, interpolation=interpolation, **common)
        self.solarization = Solarization(addition_factor=f, threshold_factor=f, **color)
        self.random_posterization = RandomPosterization(factor=max(1, int(8 * f[1])), **color)
        self.auto_contrast = AutoContrast(value_range=value_range, data_format=data_format)
        self.equalization = Equalization(value_range=value_range, data_format=data_format)
        if all_ops:
            self.random_brightness = RandomBrightness(factor=f, **color)
            self.random_color_degeneration = RandomColorDegeneration(factor=f, **color)
            self.random_contrast = RandomContrast(factor=f, **color)
            self.random_sharpness = RandomSharpness(factor=f, **color)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = self._seed(seed)
        gammas = random.gamma((self.num_chains,), self.alpha, seed=seed)
        mixing = gammas / ops.sum(gammas, axis=-1, keepdims=True)
        weight = random.beta((), self.alpha, self.alpha, seed=seed)
        chains = []
        for _ in range(self.num_chains):
            steps = []
            for _ in range(self.chain_depth):
                name = _py_random.choice(self._augment_layers + [None])
                if name is not None:
                    steps.append({"layer_name": name, "transformation": getattr(
                        self, name).get_random_transformation(data, seed=self.generator)})
            chains.append(steps)
        return {"chain_mixing_weights": mixing, "weight_sample": weight,
                "chain_transforms": chains}

    def _mix(self, values, transformation, method):
        mixing = ops.cast(transformation["chain_mixing_weights"], self.compute_dtype)
        weight = ops.cast(transformation["weight_sample"], self.compute_dtype)
        mixed = ops.zeros_like(values)
        for index, chain in enumerate(transformation["chain_transforms"]):
            chained = values
            for step in chain:
                chained = getattr(getattr(self, step["layer_name"]), method)(
                    chained, step["transformation"])
            mixed = mixed + chained * mixing[index]
        return weight * values + (1 - weight) * mixed

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if training and transformation is not None:
            images = ops.clip(self._mix(images, transformation, "transform_images"),
                              self.value_range[0], self.value_range[1])
        return ops.cast(images, self.compute_dtype)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if training and transformation is not None:
            return self._mix(segmentation_masks, transformation,
                             "transform_segmentation_masks")
        return segmentation_masks

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "num_chains": self.num_chains, "chain_depth": self.chain_depth,
                "factor": self.factor, "alpha": self.alpha, "all_ops": self.all_ops,
                "interpolation": self.interpolation, "seed": self.seed}
