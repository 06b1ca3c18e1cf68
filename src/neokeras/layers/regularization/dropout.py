"""`Dropout`: randomly zeroes inputs during training."""

from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Dropout")
class Dropout(Layer):
    """Sets inputs to 0 with probability `rate` in training, scaling the rest by `1/(1-rate)`.

    Args:
        rate: Float in [0, 1), fraction of inputs to drop.
        noise_shape: Shape of the binary mask, broadcast over the inputs (None: input shape).
        seed: Int seed for repeatable masks.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout(rate=...) must be in [0, 1). Received: rate={rate}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        noise_shape = None
        if self.noise_shape is not None:
            noise_shape = tuple(s if d is None else d for d, s in zip(self.noise_shape, inputs.shape))
        return random.dropout(inputs, self.rate, noise_shape=noise_shape, seed=self.seed_generator)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate,
                "noise_shape": None if self.noise_shape is None else list(self.noise_shape),
                "seed": self.seed}
