"""`SpatialDropout1D/2D/3D`: dropout of whole feature maps."""

from neokeras.api_export import keras_name
from neokeras.backend import random
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.regularization.dropout import Dropout
from neokeras.layers.reshaping._spatial import normalize_data_format


class _SpatialDropout(Dropout):
    rank = None

    def __init__(self, rate, seed=None, data_format=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = normalize_data_format(data_format, type(self).__name__)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        batch, channels = (inputs.shape[0], inputs.shape[1]) \
            if self.data_format == "channels_first" else (inputs.shape[0], inputs.shape[-1])
        ones = (1,) * self.rank
        noise_shape = ((batch, channels) + ones if self.data_format == "channels_first"
                       else (batch,) + ones + (channels,))
        return random.dropout(inputs, self.rate, noise_shape=noise_shape, seed=self.seed_generator)

    def get_config(self):
        config = super().get_config()
        config.pop("noise_shape")
        # Keras's SpatialDropout constructors reject `trainable`, so it is left out of the config.
        config.pop("trainable")
        return {**config, "data_format": self.data_format}


@keras_name("keras.layers.SpatialDropout1D")
class SpatialDropout1D(_SpatialDropout):
    """Drops entire 1D feature maps (channels) of `(batch, steps, channels)` inputs.

    Args:
        rate: Float in [0, 1), fraction of channels to drop.
        seed: Int seed.
    """

    rank = 1

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        config.pop("data_format")
        return config


@keras_name("keras.layers.SpatialDropout2D")
class SpatialDropout2D(_SpatialDropout):
    """Drops entire 2D feature maps (channels) of images.

    Args:
        rate: Float in [0, 1), fraction of channels to drop.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Int seed.
    """

    rank = 2

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, data_format=data_format, **kwargs)


@keras_name("keras.layers.SpatialDropout3D")
class SpatialDropout3D(_SpatialDropout):
    """Drops entire 3D feature maps (channels) of volumes.

    Args:
        rate: Float in [0, 1), fraction of channels to drop.
        data_format: `"channels_last"` (default) or `"channels_first"`.
        seed: Int seed.
    """

    rank = 3

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, data_format=data_format, **kwargs)
