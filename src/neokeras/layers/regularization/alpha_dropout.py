"""`AlphaDropout`: dropout that keeps the self-normalizing property of selu networks."""

from neokeras import ops
from neokeras.activations import SELU_ALPHA, SELU_SCALE
from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.layer import Layer


@keras_name("keras.layers.AlphaDropout")
class AlphaDropout(Layer):
    """Replaces dropped inputs by selu's negative saturation value, then applies an affine
    correction so the mean and variance of the inputs are kept (Klambauer et al., 2017).

    Args:
        rate: Float in [0, 1), drop probability.
        noise_shape: Shape of the binary mask (None: the input shape).
        seed: Int seed.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"AlphaDropout(rate=...) must be in [0, 1). Received: rate={rate}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = inputs.shape if self.noise_shape is None else tuple(
            s if d is None else d for d, s in zip(self.noise_shape, inputs.shape))
        alpha_p = -SELU_ALPHA * SELU_SCALE
        keep = random.uniform(shape, seed=self.seed_generator) >= self.rate
        keep = ops.cast(keep, inputs.dtype)
        a = ((1 - self.rate) * (1 + self.rate * alpha_p**2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * keep + alpha_p * (1 - keep)) + b

    def get_config(self):
        return {**super().get_config(), "rate": self.rate,
                "noise_shape": None if self.noise_shape is None else list(self.noise_shape),
                "seed": self.seed}
