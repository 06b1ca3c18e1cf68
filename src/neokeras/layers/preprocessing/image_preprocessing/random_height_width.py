"""`RandomHeight` and `RandomWidth` (Keras 2): resize one image axis by a random factor."""

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.layers.layer import Layer
from neokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    _KERAS2_RNG_KEYS)
from neokeras.layers.preprocessing.image_preprocessing.resizing import resize_images


class _RandomAxisResize(Layer):
    """Shared logic: `axis` is -3 (height) or -2 (width) of channels-last images."""

    _axis = -3
    _name = "height"

    def __init__(self, factor, interpolation="bilinear", seed=None, **kwargs):
        for key in _KERAS2_RNG_KEYS:
            kwargs.pop(key, None)
        super().__init__(**kwargs)
        cls = type(self).__name__
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2:
                raise ValueError(f"{cls}(factor=...) must be a number or a pair. "
                                 f"Received: factor={factor!r}")
            lower, upper = factor
        else:
            lower, upper = -factor, factor
        if upper < lower:
            raise ValueError(f"{cls}: factor's upper bound must not be below its lower bound. "
                             f"Received: factor={factor!r}")
        if lower < -1.0:
            raise ValueError(f"{cls}: factor must be >= -1. Received: factor={factor!r}")
        self.factor = factor
        self._lower, self._upper = float(lower), float(upper)
        self.interpolation = interpolation
        self.seed = seed
        self.generator = SeedGenerator(seed)
        self.data_format = "channels_last"  # used by resize_images
        self.built = True

    def _channels_last(self, images):
        return images

    def _restore_format(self, images):
        return images

    def call(self, inputs, training=True):
        if training is None:
            training = True
        inputs = ops.convert_to_tensor(inputs)
        if not training:
            return ops.cast(inputs, self.compute_dtype)
        scale = backend.random.uniform((), 1.0 + self._lower, 1.0 + self._upper,
                                       seed=self.generator)
        if backend.is_tracer(scale):
            raise ValueError(
                f"{type(self).__name__} changes the image {self._name} at random, which a "
                "compiled step cannot do (its output shape would vary). Apply it to the data "
                "before fit (e.g. in a dataset map) or compile with run_eagerly=True.")
        size = list(inputs.shape[-3:-1])
        size[self._axis + 3] = int(float(scale) * size[self._axis + 3])
        out = resize_images(self, inputs, tuple(size), self.interpolation)
        return ops.cast(out, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[self._axis] = None
        return tuple(shape)

    def compute_output_spec(self, inputs, training=True):
        return backend.KerasTensor(self.compute_output_shape(inputs.shape),
                                   dtype=self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "interpolation": self.interpolation, "seed": self.seed}


@keras_name("keras.layers.RandomHeight")
class RandomHeight(_RandomAxisResize):
    """Keras 2: resizes images to a random height `height * (1 + f)` during training.

    Args:
        factor: Number `f` (range `[-f, f]`) or a pair `(lower, upper)`, lower >= -1.
        interpolation: Resize method ("bilinear" default, "nearest", "bicubic", ...).
        seed: Int seed.
    """

    _axis = -3
    _name = "height"


@keras_name("keras.layers.RandomWidth")
class RandomWidth(_RandomAxisResize):
    """Keras 2: resizes images to a random width `width * (1 + f)` during training.

    Args:
        factor: Number `f` (range `[-f, f]`) or a pair `(lower, upper)`, lower >= -1.
        interpolation: Resize method ("bilinear" default, "nearest", "bicubic", ...).
        seed: Int seed.
    """

    _axis = -2
    _name = "width"
