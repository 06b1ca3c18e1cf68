"""`Activation`: applies an activation function as a layer of its own."""

from neokeras import activations
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Activation")
class Activation(Layer):
    """Applies `activation` to its input.

    Args:
        activation: Activation name (`"tanh"`) or callable.
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.built = True  # nothing to build (as Keras: no build_config)
        self.activation = activations.get(activation)
        self.supports_masking = True

    def call(self, inputs):
        return self.activation(inputs)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
