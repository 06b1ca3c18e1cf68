"""`BaseImagePreprocessingLayer`: the shared call protocol of image preprocessing layers.

As in Keras 3, a layer draws a random `transformation` for the batch
(`get_random_transformation`), then applies it (`transform_images`, and for dict inputs
`transform_labels` / `transform_segmentation_masks` / `transform_bounding_boxes`, the boxes
in the layer's `bounding_box_format`). Augmentations are active in training only; `call`
defaults to `training=True`, as Keras's does, so a direct call augments.
"""

from neokeras import backend
from neokeras import config as config_module
from neokeras import ops
from neokeras.backend import random
from neokeras.layers.layer import Layer
from neokeras.layers.preprocessing.image_preprocessing import _bounding_boxes


# tf-keras 2.x random layers write how they draw numbers; one generator serves here.
_KERAS2_RNG_KEYS = ("rng_type", "force_generator")


def standardize_data_format(data_format):
    data_format = data_format or config_module.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("data_format must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return data_format


class BaseImagePreprocessingLayer(Layer):
    """Base class: subclasses implement `get_random_transformation` and `transform_images`."""

    _USE_BASE_FACTOR = True
    _FACTOR_BOUNDS = (-1, 1)
    # Layers that change pixel values only return bounding boxes unchanged.
    _KEEPS_BOXES = False

    def __init__(self, factor=None, bounding_box_format=None, data_format=None, **kwargs):
        for key in _KERAS2_RNG_KEYS:
            kwargs.pop(key, None)
        super().__init__(**kwargs)
        self.bounding_box_format = bounding_box_format
        self.data_format = standardize_data_format(data_format)
        self.supports_masking = False
        if self._USE_BASE_FACTOR:
            self._set_factor(factor or 0.0)
        elif factor is not None:
            raise ValueError(f"Layer {type(self).__name__} does not take a `factor` argument. "
                             f"Received: factor={factor}")
        self.built = True

    def _set_factor(self, factor):
        low, high = self._FACTOR_BOUNDS
        message = (f"{type(self).__name__}: `factor` must be a number or a pair of numbers in "
                   f"[{low}, {high}]. Received: factor={factor!r}")
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or factor[0] > high or factor[1] < low:
                raise ValueError(message)
            lower, upper = sorted(factor)
        elif isinstance(factor, (int, float)) and not isinstance(factor, bool):
            if not low <= factor <= high:
                raise ValueError(message)
            factor = abs(factor)
            lower, upper = max(-factor, low), factor
        else:
            raise ValueError(message)
        self.factor = (lower, upper)

    # ------------------------------------------------------------------ helpers
    def _seed(self, seed):
        return self.generator if seed is None else seed

    def _uniform(self, shape, minval, maxval, seed, dtype=None):
        return random.uniform(tuple(shape), minval=minval, maxval=maxval,
                              dtype=dtype or "float32", seed=self._seed(seed))

    def _hw(self, shape):
        """(height, width) of images of `shape` (rank 3 or 4) in this layer's data format."""
        if self.data_format == "channels_last":
            return shape[-3], shape[-2]
        return shape[-2], shape[-1]

    def _channels_last(self, images):
        if self.data_format == "channels_first":
            return ops.moveaxis(images, -3, -1)
        return images

    def _restore_format(self, images):
        if self.data_format == "channels_first":
            return ops.moveaxis(images, -1, -3)
        return images

    def _transform_value_range(self, images, original_range, target_range, dtype="float32"):
        """Maps values linearly from `original_range` to `target_range`."""
        if tuple(original_range) == tuple(target_range):
            return images
        images = ops.cast(images, dtype)
        low, high = (float(v) for v in original_range)
        new_low, new_high = (float(v) for v in target_range)
        return (images - low) / (high - low) * (new_high - new_low) + new_low

    @staticmethod
    def _images_of(data):
        return data["images"] if isinstance(data, dict) else data

    # ------------------------------------------------------------------ protocol
    def get_random_transformation(self, data, training=True, seed=None):
        return None

    def transform_images(self, images, transformation, training=True):
        raise NotImplementedError(f"{type(self).__name__} does not implement transform_images.")

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_segmentation_masks(self, segmentation_masks, transformation, training=True):
        raise NotImplementedError(
            f"{type(self).__name__} does not support `segmentation_masks` inputs yet.")

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        if self._KEEPS_BOXES:
            return bounding_boxes
        raise NotImplementedError(
            f"{type(self).__name__} does not support `bounding_boxes` inputs (nor does Keras "
            "3.15.1).")

    def _boxes_hw(self, transformation):
        """(height, width) of the images a transformation was drawn for."""
        return self._hw(transformation["input_shape"])

    def _boxes_to(self, bounding_boxes, target, height, width):
        return _bounding_boxes.convert(bounding_boxes, self.bounding_box_format, target,
                                       height, width)

    def _boxes_from(self, bounding_boxes, source, height, width):
        return _bounding_boxes.convert(bounding_boxes, source, self.bounding_box_format,
                                       height, width)

    def _convert_inputs(self, inputs):
        if isinstance(inputs, dict):
            return {k: v if k == "bounding_boxes" else backend.convert_to_tensor(v)
                    for k, v in inputs.items()}
        return super()._convert_inputs(inputs)

    def _maybe_build(self, inputs):
        self.built = True

    def call(self, data, training=True):
        images = self._images_of(data)
        if len(images.shape) not in (3, 4):
            raise ValueError(f"{type(self).__name__} expects images of rank 3 (one image) or 4 "
                             f"(a batch). Received shape {tuple(images.shape)}.")
        transformation = self.get_random_transformation(data, training=training)
        # One image is transformed as a batch of one, as Keras does.
        single = len(images.shape) == 3

        def apply(fn, value):
            if not single:
                return fn(value, transformation, training=training)
            return ops.squeeze(fn(ops.expand_dims(value, 0), transformation,
                                  training=training), axis=0)

        if not isinstance(data, dict):
            return apply(self.transform_images, data)
        data = dict(data)
        data["images"] = apply(self.transform_images, data["images"])
        if "labels" in data:
            data["labels"] = apply(self.transform_labels, data["labels"])
        if "segmentation_masks" in data:
            data["segmentation_masks"] = apply(self.transform_segmentation_masks,
                                               data["segmentation_masks"])
        if "bounding_boxes" in data:
            data["bounding_boxes"] = self._call_bounding_boxes(
                data["bounding_boxes"], transformation, training, single)
        return data

    def _call_bounding_boxes(self, bounding_boxes, transformation, training, single):
        name = type(self).__name__
        if not self.bounding_box_format:
            raise ValueError(f"{name} received a 'bounding_boxes' input but no bounding box "
                             f"format: pass `bounding_box_format=` (e.g. {name}(..., "
                             "bounding_box_format='xyxy')).")
        bounding_boxes = _bounding_boxes.densify(name, bounding_boxes, batched=not single)
        keys = ("boxes", "labels")
        if single:
            bounding_boxes = {k: ops.expand_dims(v, 0) if k in keys else v
                              for k, v in bounding_boxes.items()}
        out = self.transform_bounding_boxes(bounding_boxes, transformation, training=training)
        if single:
            out = {k: ops.squeeze(v, 0) if k in keys else v for k, v in out.items()}
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = {**super().get_config(), "data_format": self.data_format}
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config
