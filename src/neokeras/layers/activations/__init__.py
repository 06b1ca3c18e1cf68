"""Activation layers with parameters of their own (`ReLU`, `LeakyReLU`, `PReLU`, ...)."""

from neokeras.layers.activations.elu import ELU  # noqa: F401
from neokeras.layers.activations.leaky_relu import LeakyReLU  # noqa: F401
from neokeras.layers.activations.prelu import PReLU  # noqa: F401
from neokeras.layers.activations.relu import ReLU  # noqa: F401
from neokeras.layers.activations.softmax import Softmax  # noqa: F401
from neokeras.layers.activations.thresholded_relu import ThresholdedReLU  # noqa: F401
