"""`neokeras.layers`: the building blocks of models."""

from neokeras.layers.core.activation import Activation  # noqa: F401
from neokeras.layers.core.dense import Dense  # noqa: F401
from neokeras.layers.core.input_layer import Input, InputLayer  # noqa: F401
from neokeras.layers.input_spec import InputSpec  # noqa: F401
from neokeras.layers.layer import Layer  # noqa: F401
from neokeras.layers.regularization.alpha_dropout import AlphaDropout  # noqa: F401
from neokeras.layers.regularization.dropout import Dropout  # noqa: F401
from neokeras.layers.reshaping.flatten import Flatten  # noqa: F401
from neokeras.layers.reshaping.reshape import Reshape  # noqa: F401
