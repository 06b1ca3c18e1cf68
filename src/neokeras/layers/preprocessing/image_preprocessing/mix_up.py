"""`MixUp`: blends each image (and label) with another one of the batch."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.MixUp")
class MixUp(BaseImagePreprocessingLayer):
    """MixUp (Zhang et al., 2017): `w * x + (1 - w) * x[perm]`, `w ~ Beta(alpha, alpha)`.

    Pass a dict `{"images": ..., "labels": ...}` to mix the labels the same way.

    Args:
        alpha: Beta distribution parameter (default 0.2).
        data_format: "channels_last" (default) or "channels_first".
        seed: Int seed.
    """

    _USE_BASE_FACTOR = False

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.alpha = alpha
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = self._images_of(data).shape
        n = 1 if len(shape) == 3 else shape[0]
        order = random.permutation(n, seed=self._seed(seed))
        weight = random.beta((n,), self.alpha, self.alpha, seed=self._seed(seed))
        return {"mix_weight": weight, "permutation_order": order}

    def transform_images(self, images, transformation=None, training=True):
        if not training:
            return images
        x = ops.cast(images, self.compute_dtype)
        w = ops.cast(ops.reshape(transformation["mix_weight"], (-1, 1, 1, 1)), self.compute_dtype)
        other = ops.take(x, transformation["permutation_order"], axis=0)
        return w * x + (1.0 - w) * other

    def transform_labels(self, labels, transformation, training=True):
        if not training:
            return labels
        w = ops.reshape(transformation["mix_weight"], (-1, 1))
        return w * labels + (1.0 - w) * ops.take(labels, transformation["permutation_order"],
                                                 axis=0)

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training:
            return segmentation_masks
        w = ops.reshape(transformation["mix_weight"], (-1, 1, 1, 1))
        other = ops.take(segmentation_masks, transformation["permutation_order"], axis=0)
        return w * segmentation_masks + (1.0 - w) * other

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        """Each image keeps its boxes and gains those of its mixing partner (`2n` boxes)."""
        if not training:
            return bounding_boxes
        order = transformation["permutation_order"]
        result = dict(bounding_boxes)
        for key in ("boxes", "labels"):
            # (Keras 3.15.1 stacks the partner labels along the batch axis instead.)
            value = bounding_boxes[key]
            result[key] = ops.concatenate([value, ops.take(value, order, axis=0)], axis=1)
        return result

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha, "seed": self.seed}
