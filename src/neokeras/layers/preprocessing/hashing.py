"""`Hashing`: hashes strings or integers into a fixed number of bins."""

import numpy as np

from neokeras import config as config_module
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.preprocessing import category_encoding
from neokeras.layers.preprocessing.index_lookup import to_numpy_values
from neokeras.layers.preprocessing.string_hash import hash_to_buckets


def host_values(data):
    """Strings stay text, numbers become int64 (floats truncated, as Keras casts them)."""
    array = to_numpy_values(data, "string") if _is_text(data) else np.asarray(
        data if not hasattr(data, "shape") or isinstance(data, np.ndarray)
        else ops.convert_to_numpy(data))
    if array.dtype.kind == "f":
        array = array.astype(np.int64)
    return array


def _is_text(data):
    array = data if isinstance(data, np.ndarray) else None
    if array is None and isinstance(data, (list, tuple, str, bytes)):
        array = np.asarray(data, dtype=object)
    if array is None:
        return False
    if array.dtype.kind in "USO":
        flat = array.reshape(-1)
        return flat.size == 0 or isinstance(flat[0], (str, bytes, np.str_, np.bytes_))
    return False


@keras_name("keras.layers.Hashing")
class Hashing(Layer):
    """Maps strings or integers to `num_bins` bins with FarmHash64 (or SipHash with a salt).

    The bins equal Keras's (`tf.strings.to_hash_bucket_fast`); numbers are hashed through
    their decimal text.

    Args:
        num_bins: Number of hash bins, the mask bin included.
        mask_value: Value hashed to bin 0 (the others then use bins 1 and up).
        salt: Int or pair of ints: uses the keyed SipHash-2-4 hash instead.
        output_mode: "int", "one_hot", "multi_hot" or "count".
        sparse: Must be False (sparse outputs are a TensorFlow feature).
    """

    supports_jit = False

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):
        output_mode = category_encoding.check_output_mode(
            "Hashing", output_mode, ("int", "one_hot", "multi_hot", "count"))
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else config_module.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(f"Hashing(num_bins=...) must be a positive int. "
                             f"Received: num_bins={num_bins}")
        if output_mode == "int" and self.compute_dtype not in ("int32", "int64"):
            raise ValueError("Hashing: with output_mode='int' the dtype must be 'int32' or "
                             f"'int64'. Received: dtype={kwargs['dtype']!r}")
        if sparse:
            raise ValueError("Hashing(sparse=True) needs the TensorFlow backend.")
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = [int(s) for s in salt]
            elif isinstance(salt, (int, np.integer)):
                salt = [int(salt), int(salt)]
            else:
                raise ValueError("Hashing(salt=...) must be an int or a pair of ints. "
                                 f"Received: salt={salt!r}")
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.salt = salt
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _convert_inputs(self, inputs):
        return inputs

    def _maybe_build(self, inputs):
        self.built = True

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if not input_shape:
            return (self.num_bins,)
        return input_shape[:-1] + (self.num_bins,)

    def compute_output_spec(self, inputs):
        from neokeras.backend import KerasTensor

        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def hash_values(self, values):
        """Bin index (int64 numpy) of every value; bin 0 is the mask bin when one is set."""
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        out = hash_to_buckets(values, bins, salt=self.salt)
        if mask is not None:
            out = np.where(mask, 0, out + 1)
        return out

    def call(self, inputs):
        values = host_values(inputs)
        if self.output_mode == "one_hot" and values.ndim > 0 and values.shape[-1] == 1:
            values = values[..., 0]
        indices = self.hash_values(values)
        encoded = category_encoding.encode_on_host(indices, self.output_mode, self.num_bins,
                                                   self.compute_dtype)
        return ops.convert_to_tensor(encoded, dtype=self.compute_dtype)

    def get_config(self):
        return {**super().get_config(), "num_bins": self.num_bins,
                "salt": self.salt, "mask_value": self.mask_value,
                "output_mode": self.output_mode, "sparse": self.sparse}
