"""`HashedCrossing`: hashes the combination of two or more categorical features into bins."""

import numpy as np

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.preprocessing import category_encoding
from neokeras.layers.preprocessing.hashing import host_values
from neokeras.layers.preprocessing.string_hash import (
    as_hash_bytes, fingerprint64, fingerprint_cat64)

# The key TensorFlow's `sparse.cross_hashed` starts every crossed fingerprint from.
_CROSS_HASH_KEY = 0xDECAFCAFFE


def _feature_hash(value):
    # TensorFlow fingerprints string features but uses integer features as they are.
    if isinstance(value, (str, bytes)):
        return fingerprint64(as_hash_bytes(value))
    return int(value) & 0xFFFFFFFFFFFFFFFF


@keras_name("keras.layers.HashedCrossing")
class HashedCrossing(Layer):
    """Crosses features, e.g. `(country, language)`, and hashes each combination to a bin.

    The bins equal Keras's (`tf.sparse.cross_hashed`).

    Args:
        num_bins: Number of hash bins.
        output_mode: "int" or "one_hot".
        sparse: Must be False (sparse outputs are a TensorFlow feature).
    """

    supports_jit = False

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None,
                 **kwargs):
        output_mode = category_encoding.check_output_mode("HashedCrossing", output_mode,
                                                          ("int", "one_hot"))
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError("HashedCrossing(sparse=True) needs the TensorFlow backend.")
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _convert_inputs(self, inputs):
        return inputs

    def _maybe_build(self, inputs):
        self.built = True

    def _check(self, shapes):
        if not isinstance(shapes, (list, tuple)) or len(shapes) < 2:
            raise ValueError("HashedCrossing must be called on a list or tuple of at least two "
                             f"inputs. Received: {shapes!r}")
        first = tuple(shapes[0])
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError("HashedCrossing inputs must have shape (), (batch_size) or "
                             f"(batch_size, 1). Received shape {first}.")
        if any(tuple(s) != first for s in shapes[1:]):
            raise ValueError("HashedCrossing inputs must all have the same shape. "
                             f"Received shapes {[tuple(s) for s in shapes]}.")
        return first

    def compute_output_shape(self, input_shape):
        first = self._check(input_shape)
        if self.output_mode == "int":
            return first
        if not first:
            return (self.num_bins,)
        return (first[0], self.num_bins)

    def compute_output_spec(self, inputs):
        from neokeras.backend import KerasTensor

        shape = self.compute_output_shape([x.shape for x in inputs])
        return KerasTensor(shape, dtype=self.compute_dtype)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError("HashedCrossing must be called on a list or tuple of inputs. "
                             f"Received: {type(inputs).__name__}")
        values = [host_values(x) for x in inputs]
        for v in values:
            if v.dtype.kind not in "iuOUS":
                raise ValueError("HashedCrossing inputs must be integers or strings. "
                                 f"Received dtype {v.dtype}.")
        first = self._check([v.shape for v in values])
        columns = [v.reshape(-1) for v in values]
        out = np.empty(len(columns[0]), dtype=np.int64)
        for i in range(len(out)):
            h = _CROSS_HASH_KEY
            for column in columns:
                h = fingerprint_cat64(h, _feature_hash(column[i]))
            out[i] = h % self.num_bins
        out = out.reshape(first)
        if self.output_mode == "one_hot":
            out = category_encoding.encode_on_host(out, "one_hot", self.num_bins,
                                                   self.compute_dtype)
        return ops.convert_to_tensor(out.astype(self.compute_dtype), dtype=self.compute_dtype)

    def get_config(self):
        return {"num_bins": self.num_bins, "output_mode": self.output_mode,
                "sparse": self.sparse, "name": self.name, "dtype": self.compute_dtype}
