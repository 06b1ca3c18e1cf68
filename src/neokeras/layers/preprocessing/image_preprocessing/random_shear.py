"""`RandomShear`: shears images along x and/or y by random amounts."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes, _geometry
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer)


@keras_name("keras.layers.RandomShear")
class RandomShear(BaseImagePreprocessingLayer):
    """Shears images during training: `x' = x + s_x y`, `y' = y + s_y x`, random signs.

    Args:
        x_factor: Number `f` (s_x drawn in `[-f, f]`) or a range, in [0, 1].
        y_factor: The same for y.
        interpolation: "bilinear" (default) or "nearest".
        fill_mode: "reflect" (default), "wrap", "constant" or "nearest".
        fill_value: Value outside the image with fill_mode="constant".
        data_format: "channels_last" (default) or "channels_first".
        seed: Int seed.
    """

    _USE_BASE_FACTOR = False

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear",
                 fill_mode="reflect", fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        # Configs hold the drawn range (lower, upper), lower possibly negative.
        self.x_factor = _geometry.check_factor_pair("RandomShear", x_factor, "x_factor")
        self.y_factor = _geometry.check_factor_pair("RandomShear", y_factor, "y_factor")
        _geometry.check_fill_and_interpolation("RandomShear", fill_mode, interpolation)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = self._images_of(data).shape
        n = 1 if len(shape) == 3 else shape[0]
        dtype = self.compute_dtype
        invert = self._uniform((n, 1), 0.0, 1.0, seed, dtype)
        invert = ops.where(invert > 0.5, -ops.ones_like(invert), ops.ones_like(invert))
        shear_y = self._uniform((n, 1), self.y_factor[0], self.y_factor[1], seed, dtype)
        shear_x = self._uniform((n, 1), self.x_factor[0], self.x_factor[1], seed, dtype)
        factor = ops.cast(ops.concatenate([shear_x, shear_y], axis=1), dtype) * invert
        return {"shear_factor": factor, "input_shape": shape}

    @staticmethod
    def _matrix(factors):
        n = factors.shape[0]
        ones, zeros = ops.ones((n,)), ops.zeros((n,))
        return ops.stack([ones, factors[:, 0], zeros, factors[:, 1], ones, zeros, zeros, zeros],
                         axis=1)

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        return _geometry.apply_affine(self, images, self._matrix(transformation["shear_factor"]))

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        if not training or transformation is None:
            return segmentation_masks
        return _geometry.apply_affine(self, segmentation_masks,
                                      self._matrix(transformation["shear_factor"]), "nearest")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if not training or transformation is None:
            return bounding_boxes
        height, width = self._boxes_hw(transformation)
        boxes = self._boxes_to(bounding_boxes, "rel_xyxy", height, width)
        factor = ops.cast(transformation["shear_factor"], boxes["boxes"].dtype)
        shear_x, shear_y = factor[:, 0:1], factor[:, 1:2]
        x1, y1, x2, y2 = (boxes["boxes"][..., i] for i in range(4))
        # Keras's box rule, in relative coordinates: each side moves by the shear of the
        # corner that goes furthest, x first, then y from the new x.
        x1 = ops.where(shear_x < 0, x1 - shear_x * y1, x1 - shear_x * y2)
        x2 = ops.where(shear_x < 0, x2 - shear_x * y2, x2 - shear_x * y1)
        y1 = ops.where(shear_y > 0, y1 - shear_y * x2, y1 - shear_y * x1)
        y2 = ops.where(shear_y > 0, y2 - shear_y * x1, y2 - shear_y * x2)
        boxes["boxes"] = ops.stack([x1, y1, x2, y2], axis=-1)
        boxes = _bounding_boxes.clip(boxes, height, width, "rel_xyxy")
        return self._boxes_from(boxes, "rel_xyxy", height, width)

    def get_config(self):
        return {**super().get_config(), "x_factor": self.x_factor, "y_factor": self.y_factor,
                "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                "seed": self.seed, "fill_value": self.fill_value}
