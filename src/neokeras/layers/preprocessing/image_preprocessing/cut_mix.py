"""`CutMix`: pastes a random box from another image of the batch into each image."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.preprocessing.image_preprocessing import _boxes
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.CutMix")
class CutMix(BaseImagePreprocessingLayer):
    """CutMix (Yun et al., 2019): replaces a random box of each image by the same box of
    another image; labels (in a dict input) mix by the kept area.

    Args:
        factor: Range (or upper bound) in [0, 1] of the Beta parameter of the box size.
        seed: Int seed.
        data_format: "channels_last" (default) or "channels_first".
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        if len(shape) == 3:
            return None
        n = shape[0]
        height, width = self._hw(shape)
        alpha = self._uniform((), self.factor[0], self.factor[1], seed, self.compute_dtype) + 1e-6
        weight = random.beta((n,), alpha, alpha, dtype=self.compute_dtype,
                             seed=self._seed(seed))
        ratio = ops.sqrt(1.0 - weight)
        x0, x1 = _boxes.crop_bounds(self, n, width, ratio, seed)
        y0, y1 = _boxes.crop_bounds(self, n, height, ratio, seed)
        masks = _boxes.box_masks(self, shape, x0, x1, y0, y1)
        box = lambda v: v[:, None, None, None]  # noqa: E731
        mix_weight = 1.0 - (box(x1) - box(x0)) * (box(y1) - box(y0)) / (width * height)
        order = ops.cast(random.permutation(n, seed=self._seed(seed)), "int32")
        return {"permutation_order": order, "batch_masks": masks, "mix_weight": mix_weight}

    def transform_images(self, images, transformation=None, training=True):
        images = ops.cast(images, self.compute_dtype)
        if training and transformation is not None:
            other = ops.take(images, transformation["permutation_order"], axis=0)
            images = ops.where(transformation["batch_masks"], other, images)
        return images

    def transform_labels(self, labels, transformation, training=True):
        if not training or transformation is None:
            return labels
        w = ops.reshape(transformation["mix_weight"], (-1, 1))
        other = ops.take(labels, transformation["permutation_order"], axis=0)
        return w * labels + (1.0 - w) * other

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        return self.transform_images(segmentation_masks, transformation, training)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "seed": self.seed}
