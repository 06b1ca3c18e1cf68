"""`InputLayer` and `Input`: the entry point of a model."""

import numbers

from neokeras import config
from neokeras.api_export import keras_name
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.layers.layer import Layer
from neokeras.layers.node import Node


@keras_name("keras.layers.InputLayer")
class InputLayer(Layer):
    """Holds the input shape of a model and produces its symbolic input tensor.

    Args:
        shape: Shape without the batch dimension, e.g. `(784,)`.
        batch_size: Optional fixed batch size.
        dtype: Input dtype (default `floatx()`).
        batch_shape: Full shape including the batch dimension (alternative to `shape`).
        name: Layer name.
        sparse, ragged: Accepted for compatibility; must be False.
        input_shape, batch_input_shape: Keras 2 spellings of `shape` and `batch_shape`.
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, ragged=None, input_shape=None,
                 batch_input_shape=None, **kwargs):
        shape = shape if shape is not None else input_shape
        batch_shape = batch_shape if batch_shape is not None else batch_input_shape
        if "dtype" in kwargs:
            dtype = kwargs.pop("dtype")
        super().__init__(name=name, **kwargs)
        if sparse or ragged:
            raise ValueError(f"InputLayer '{self.name}': sparse and ragged inputs are not supported.")
        if shape is not None and batch_shape is not None:
            raise ValueError(
                f"InputLayer '{self.name}': pass `shape` or `batch_shape`, not both. "
                f"Received: shape={shape}, batch_shape={batch_shape}")
        if batch_shape is None:
            if shape is None:
                raise ValueError(f"InputLayer '{self.name}' needs a `shape` (e.g. shape=(784,)).")
            if isinstance(shape, numbers.Integral):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self.batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._dtype = _plain_dtype(dtype)
        self.optional = optional
        self.built = True
        Node(self, (), {}, KerasTensor(self.batch_shape, dtype=self._dtype, name=self.name))

    @property
    def dtype(self):
        """The dtype of the input tensor."""
        return self._dtype

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {"batch_shape": list(self.batch_shape), "dtype": self._dtype, "sparse": False,
                "ragged": False, "name": self.name, "optional": self.optional}


def _plain_dtype(dtype):
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, dict):
        return dtype.get("config", {}).get("name", config.floatx())
    return str(dtype)


@keras_name("keras.Input", "keras.layers.Input")
def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False, ragged=None):
    """Returns a symbolic tensor that starts a functional model.

    Args:
        shape: Shape without the batch dimension, e.g. `(784,)`; None entries are unknown.
        batch_size: Optional fixed batch size.
        dtype: Dtype of the input (default `floatx()`).
        batch_shape: Full shape including the batch dimension (instead of `shape`).
        name: Name of the input (unique automatic name otherwise).

    Returns:
        A `KerasTensor`.
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, optional=optional, ragged=ragged)
    return layer.output
