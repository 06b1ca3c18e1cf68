"""`ActivityRegularization`: adds an L1/L2 penalty on its input to the training loss."""

from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.ActivityRegularization")
class ActivityRegularization(Layer):
    """Passes its input through and adds `l1 * sum(|x|) + l2 * sum(x**2)` (divided by the
    batch size, as for any activity regularizer) to the layer's losses.

    Args:
        l1: Non-negative L1 factor.
        l2: Non-negative L2 factor.
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = float(l1), float(l2)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {**super().get_config(), "l1": self.l1, "l2": self.l2}
