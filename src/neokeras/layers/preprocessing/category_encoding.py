"""`CategoryEncoding` and the integer-index encodings shared by the lookup and hashing layers."""

import numpy as np

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def check_output_mode(layer_name, output_mode, allowed):
    if output_mode == "binary":  # Keras 2 spelling
        output_mode = "multi_hot"
    if output_mode == "tf-idf":
        output_mode = "tf_idf"
    if output_mode not in allowed:
        raise ValueError(f"{layer_name}(output_mode=...) must be one of {allowed}. "
                         f"Received: output_mode={output_mode!r}")
    return output_mode


def encode_on_host(indices, output_mode, depth, dtype, count_weights=None, idf_weights=None):
    """Encodes integer indices (a numpy array) as TensorFlow-backed Keras layers do.

    Indices outside `[0, depth)` (the mask value of lookups) add nothing; inputs of rank 1
    are one sample per element for "one_hot" and one sample for the other modes.
    """
    indices = np.asarray(indices)
    if output_mode == "int":
        return indices.astype(dtype)
    if indices.ndim == 0:
        indices = indices[None]
    if output_mode == "one_hot" and indices.shape[-1] != 1:
        indices = indices[..., None]
    if indices.ndim > 2:
        raise ValueError(
            f"When output_mode is not 'int', the maximum supported output rank is 2. "
            f"Received output_mode={output_mode!r} and input shape {indices.shape}.")
    squeeze = indices.ndim == 1
    rows = indices.reshape(1, -1) if squeeze else indices
    out = np.zeros((rows.shape[0], depth), dtype="float64")
    weights = None if count_weights is None else np.asarray(count_weights).reshape(rows.shape)
    for r, row in enumerate(rows):
        for c, index in enumerate(row):
            if 0 <= index < depth:
                out[r, index] += 1.0 if weights is None else weights[r, c]
    if output_mode in ("one_hot", "multi_hot"):
        out = np.minimum(out, 1.0)
    if output_mode == "tf_idf":
        out = out * np.asarray(idf_weights, "float64")[:depth]
    out = out.astype(dtype)
    return out[0] if squeeze else out


def encode(inputs, output_mode, depth, dtype, count_weights=None):
    """Encodes integer indices with `ops` (traceable); rank-1 inputs are one sample."""
    x = ops.convert_to_tensor(inputs)
    if output_mode == "int":
        return ops.cast(x, dtype)
    x = ops.cast(x, "int32")
    if len(x.shape) == 0:
        x = ops.expand_dims(x, -1)
    if output_mode == "one_hot":
        if len(x.shape) > 1 and x.shape[-1] == 1:
            x = ops.reshape(x, x.shape[:-1])
        return ops.one_hot(x, depth, dtype=dtype)
    axis = 1 if len(x.shape) > 1 else 0
    encoded = ops.one_hot(x, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return ops.max(encoded, axis=axis)
    if count_weights is not None:
        encoded = encoded * ops.expand_dims(ops.cast(count_weights, dtype), -1)
    return ops.sum(encoded, axis=axis)


def encoded_shape(input_shape, output_mode, depth):
    """The output shape of `encode_on_host` for inputs of `input_shape`."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)


@keras_name("keras.layers.CategoryEncoding")
class CategoryEncoding(Layer):
    """Encodes integer features as one-hot, multi-hot or count vectors of length `num_tokens`.

    Args:
        num_tokens: Number of categories; inputs must lie in `[0, num_tokens)`.
        output_mode: `"multi_hot"` (default; Keras 2's `"binary"`), `"one_hot"` or `"count"`.
        sparse: Sparse outputs are a TensorFlow feature; must be False.
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        output_mode = check_output_mode("CategoryEncoding", output_mode,
                                        ("count", "one_hot", "multi_hot"))
        if num_tokens is None:
            raise ValueError("CategoryEncoding(num_tokens=...) must be set; use IntegerLookup when "
                             "the number of categories is not known beforehand.")
        if int(num_tokens) < 1:
            raise ValueError(f"CategoryEncoding(num_tokens=...) must be >= 1. "
                             f"Received: num_tokens={num_tokens}")
        if sparse:
            raise ValueError("CategoryEncoding(sparse=True) needs the TensorFlow backend.")
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _convert_inputs(self, inputs):
        return inputs  # integer inputs keep their dtype

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        from neokeras.backend import KerasTensor

        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError("CategoryEncoding: `count_weights` is only used when "
                             f"output_mode='count'. Received output_mode={self.output_mode!r}.")
        weights = None if count_weights is None else ops.convert_to_tensor(
            count_weights, dtype=self.compute_dtype)
        return encode(inputs, self.output_mode, self.num_tokens, self.compute_dtype, weights)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode}
