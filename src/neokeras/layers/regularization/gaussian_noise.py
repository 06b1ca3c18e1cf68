"""`GaussianNoise` and `GaussianDropout`: multiplicative/additive noise during training."""

import numbers
import math

from neokeras.api_export import keras_name
from neokeras.backend import SeedGenerator
from neokeras.backend import random
from neokeras.layers.layer import Layer


@keras_name("keras.layers.GaussianNoise")
class GaussianNoise(Layer):
    """Adds zero-centered Gaussian noise of standard deviation `stddev` during training.

    Args:
        stddev: Non-negative float.
        seed: Int seed.
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, numbers.Real) or stddev < 0:
            raise ValueError(
                f"GaussianNoise(stddev=...) must be a non-negative float. Received: {stddev!r}")
        self.stddev = float(stddev)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        noise = random.normal(inputs.shape, stddev=self.stddev, dtype=inputs.dtype,
                              seed=self.seed_generator)
        return inputs + noise

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


@keras_name("keras.layers.GaussianDropout")
class GaussianDropout(Layer):
    """Multiplies inputs by Gaussian noise of mean 1 and standard deviation
    `sqrt(rate / (1 - rate))` during training.

    Args:
        rate: Float in [0, 1), the drop probability of the equivalent dropout.
        seed: Int seed.
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
            raise ValueError(f"GaussianDropout(rate=...) must be in [0, 1). Received: {rate!r}")
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = random.normal(inputs.shape, mean=1.0, stddev=stddev, dtype=inputs.dtype,
                              seed=self.seed_generator)
        return inputs * noise

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
