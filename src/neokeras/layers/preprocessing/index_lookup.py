"""`IndexLookup`: the vocabulary machinery behind `StringLookup` and `IntegerLookup`.

Lookups run on the host in numpy, as Keras 3 runs them in TensorFlow outside the compiled
step; results come back as backend arrays. Index layout (as in Keras): `[mask] [OOV...] tokens`,
the mask index only in "int" mode.
"""

import collections
import os

import numpy as np

from neokeras import backend
from neokeras import config as config_module
from neokeras import ops
from neokeras.layers.layer import Layer
from neokeras.layers.preprocessing import category_encoding
from neokeras.layers.preprocessing.string_hash import hash_to_buckets

_INT64_MAX = np.iinfo(np.int64).max


def to_numpy_values(data, kind):
    """Host numpy array of strings (`kind="string"`) or int64 from lists, arrays, tensors."""
    if hasattr(data, "numpy") and not isinstance(data, np.ndarray):
        data = data.numpy()
    elif backend.is_tensor(data):
        data = backend.convert_to_numpy(data)
    array = np.asarray(data, dtype=object if kind == "string" else None)
    if kind == "string":
        return np.vectorize(_as_text, otypes=[object])(array) if array.size else array
    if array.dtype.kind not in "iub":
        if array.dtype.kind == "f" and np.all(np.mod(array, 1) == 0):
            return array.astype(np.int64)
        raise ValueError(f"Expected integer values, received an array of dtype {array.dtype}.")
    return array.astype(np.int64)


def _as_text(x):
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


class IndexLookup(Layer):
    """Maps vocabulary terms to indices (or back, with `invert=True`)."""

    _kind = "string"

    supports_jit = False

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False, oov_method="floormod", salt=None,
                 **kwargs):
        name = type(self).__name__
        frozen_vocab_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("has_input_vocabulary", None)
        super().__init__(**kwargs)
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"{name}(max_tokens=...) must be greater than 1 when set. "
                             f"Received: max_tokens={max_tokens}")
        if num_oov_indices is None or num_oov_indices < 0:
            raise ValueError(f"{name}(num_oov_indices=...) must be >= 0. "
                             f"Received: num_oov_indices={num_oov_indices}")
        output_mode = category_encoding.check_output_mode(
            name, output_mode, category_encoding.OUTPUT_MODES)
        if invert and output_mode != "int":
            raise ValueError(f"{name}: output_mode must be 'int' when invert=True. "
                             f"Received: output_mode={output_mode!r}")
        if sparse:
            raise ValueError(f"{name}(sparse=True) needs the TensorFlow backend.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{name}: idf_weights is only used when output_mode='tf_idf'. "
                             f"Received: output_mode={output_mode!r}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{name}(oov_method=...) must be 'floormod' or 'farmhash'. "
                             f"Received: oov_method={oov_method!r}")
        if salt is not None:
            if isinstance(salt, (tuple, list)) and len(salt) == 2:
                salt = [int(s) for s in salt]
            elif isinstance(salt, (int, np.integer)):
                salt = [int(salt), int(salt)]
            else:
                raise ValueError(f"{name}(salt=...) must be an int or a pair of ints. "
                                 f"Received: salt={salt!r}")
        self.invert = bool(invert)
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = frozen_vocab_size
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = vocabulary is not None
        self._tokens = []
        self._index = {}
        self.idf_weights = None
        self._reset_counts()
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(f"{name}: with output_mode='tf_idf', a given `vocabulary` needs "
                             "`idf_weights` too.")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        self.built = True

    # ------------------------------------------------------------------ layout
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """Size of the vocabulary, mask and OOV indices included."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary; with special tokens, a term's position is its index."""
        vocab = [self.oov_token] * self._token_start_index() + list(self._tokens)
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index():]
        return vocab

    def _values(self, data):
        return to_numpy_values(data, self._kind)

    # ------------------------------------------------------------------ vocabulary
    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (an array, a list, or a text file path with one term a line)."""
        name = f"{type(self).__name__} '{self.name}'"
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{name}: idf_weights must be set when output_mode='tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{name}: idf_weights is only used when output_mode='tf_idf'. "
                             f"Received: output_mode={self.output_mode!r}")
        if isinstance(vocabulary, (str, os.PathLike)):
            vocabulary = self._read_vocabulary_file(os.fspath(vocabulary))
        values = self._values(vocabulary)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"{name}: the vocabulary must be a non-empty 1D list of terms. "
                             f"Received: vocabulary={vocabulary!r}")
        values = list(values.tolist())
        token_start = self._token_start_index()
        specials = [self.mask_token] * self._oov_start_index() + \
            [self.oov_token] * self.num_oov_indices
        found_specials = values[:token_start] == specials
        tokens = values[token_start:] if found_specials else values
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(f"{name}: the vocabulary has repeated terms {repeated}; "
                             "pass each term once.")
        if self.mask_token is not None and self.mask_token in tokens:
            raise ValueError(
                f"{name}: found the mask token {self.mask_token!r} inside the vocabulary. Pass "
                f"the vocabulary without special tokens, or with exactly {specials} first.")
        if self.oov_token is not None and self.invert and self.oov_token in tokens:
            raise ValueError(
                f"{name}: found the OOV token {self.oov_token!r} inside the vocabulary. Pass "
                f"the vocabulary without special tokens, or with exactly {specials} first.")
        if self.max_tokens is not None and token_start + len(tokens) > self.max_tokens:
            raise ValueError(f"{name}: the vocabulary size {token_start + len(tokens)} is larger "
                             f"than max_tokens={self.max_tokens}.")
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            weights = np.asarray(idf_weights, dtype="float64")
            if weights.ndim != 1 or len(weights) != len(values):
                raise ValueError(f"{name}: idf_weights must be 1D with one weight per vocabulary "
                                 f"term ({len(values)}). Received shape {weights.shape}.")
            front = 0 if found_specials else token_start
            back = 0
            if self.pad_to_max_tokens and self.max_tokens is not None:
                back = self.max_tokens - front - len(weights)
            weights = np.pad(weights, (front, back), constant_values=(
                0 if found_specials else np.average(weights), 0))
            self.idf_weights = weights.astype(config_module.floatx())

    def _read_vocabulary_file(self, path):
        from neokeras.saving.serialization import in_safe_mode

        if in_safe_mode():
            raise ValueError(
                f"{type(self).__name__} '{self.name}': refusing to read the vocabulary file "
                f"'{path}' outside the model archive in safe mode. Pass safe_mode=False if you "
                "trust it.")
        if self.output_mode == "tf_idf":
            raise ValueError(f"{type(self).__name__}: output_mode='tf_idf' cannot load a "
                             "vocabulary from a file.")
        if not os.path.isfile(path):
            raise ValueError(f"Vocabulary file {path} does not exist.")
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        return lines if self._kind == "string" else [int(line) for line in lines]

    def _set_tokens(self, tokens):
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._index = {t: i + start for i, t in enumerate(self._tokens)}
        self._record_vocabulary_size()

    def _record_vocabulary_size(self):
        size = self.vocabulary_size()
        if (self.output_mode != "int" and not self.pad_to_max_tokens
                and self._frozen_vocab_size is not None and self._called
                and size != self._frozen_vocab_size):
            raise RuntimeError(
                f"{type(self).__name__} '{self.name}': with output_mode={self.output_mode!r} and "
                "pad_to_max_tokens=False the vocabulary size cannot change after the layer was "
                f"called (was {self._frozen_vocab_size}, now {size}).")
        self._frozen_vocab_size = size

    # ------------------------------------------------------------------ adapt
    def _reset_counts(self):
        self._token_counts = collections.Counter()
        self._document_counts = collections.Counter()
        self._num_documents = 0
        self._called = getattr(self, "_called", False)

    def reset_state(self):
        if not self._has_input_vocabulary:
            self._reset_counts()

    def update_state(self, data):
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             "vocabulary via `vocabulary` or `set_vocabulary()`.")
        data = self._values(data)
        if data.ndim < 2:
            data = data.reshape(1, -1)
        self._token_counts.update(data.reshape(-1).tolist())
        if self.output_mode == "tf_idf":
            for document in data.reshape(data.shape[0], -1):
                self._document_counts.update(set(document.tolist()))
            self._num_documents += data.shape[0]

    def adapt(self, data, steps=None):
        """Builds the vocabulary from `data`, most frequent terms first.

        Args:
            data: Array, list or an iterable of batches (e.g. a generator).
            steps: Number of batches to read from an iterable.
        """
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray)) or backend.is_tensor(data) \
                or hasattr(data, "numpy") or not hasattr(data, "__iter__"):
            values = self._values(data)
            if values.ndim == 1:
                values = values[:, None]
            self.update_state(values)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def finalize_state(self):
        if self._has_input_vocabulary or not self._token_counts:
            return
        counts = dict(self._token_counts)
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        # Most frequent first; ties in descending term order (numpy lexsort reversed, as Keras).
        tokens = list(counts)
        keys = [(counts[t], t.encode("utf-8") if isinstance(t, str) else t) for t in tokens]
        order = sorted(range(len(tokens)), key=lambda i: keys[i], reverse=True)
        tokens = [tokens[i] for i in order]
        start = self._token_start_index()
        if self.max_tokens:
            tokens = tokens[:self.max_tokens - start]
        if self.output_mode == "tf_idf":
            df = np.array([self._document_counts[t] for t in tokens], dtype="float64")
            idf = np.log(1 + self._num_documents / (1 + df)).astype(config_module.floatx())
            idf = np.pad(idf, (start, 0), constant_values=np.mean(idf))
            if self.pad_to_max_tokens and self.max_tokens is not None:
                idf = np.pad(idf, (0, self.max_tokens - len(idf)))
            self.idf_weights = idf.astype(config_module.floatx())
        self._set_tokens(tokens)
        self._reset_counts()

    # ------------------------------------------------------------------ call
    def _convert_inputs(self, inputs):
        return inputs  # looked up on the host, never converted to a backend array

    def _maybe_build(self, inputs):
        self.built = True

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size

    def compute_output_shape(self, input_shape):
        return category_encoding.encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        from neokeras.backend import KerasTensor

        if self.invert:
            dtype = "string" if self._kind == "string" else "int64"
        else:
            dtype = "int64" if self.output_mode == "int" else config_module.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def _lookup(self, values):
        if self.invert:
            vocab = self.get_vocabulary()
            out = np.empty(values.shape, dtype=object)
            flat_in, flat_out = values.reshape(-1), out.reshape(-1)
            for i, v in enumerate(flat_in.tolist()):
                if self.mask_token is not None and v == 0:
                    flat_out[i] = self.mask_token
                elif 0 <= v < len(vocab) and v >= self._token_start_index():
                    flat_out[i] = vocab[v]
                else:
                    flat_out[i] = self.oov_token
            return out
        mask_value = 0 if self.output_mode == "int" else _INT64_MAX
        default = -1 if self.num_oov_indices != 1 else self._oov_start_index()
        flat = values.reshape(-1).tolist()
        out = np.array([self._index.get(v, default) for v in flat], dtype=np.int64)
        out = out.reshape(values.shape)
        if self.mask_token is not None:
            out = np.where(values == self.mask_token, mask_value, out)
        if self.num_oov_indices == 0 and np.any(out == -1):
            missing = sorted({v for v, i in zip(flat, out.reshape(-1)) if i == -1}, key=str)
            raise ValueError(
                f"{type(self).__name__} '{self.name}': when num_oov_indices=0 all inputs must be "
                f"in the vocabulary; found out-of-vocabulary values {missing[:10]}. Consider "
                "num_oov_indices=1.")
        if self.num_oov_indices > 1:
            if self._kind == "int" and self.oov_method != "farmhash":
                oov = np.mod(values, self.num_oov_indices)
            else:
                oov = hash_to_buckets(values, self.num_oov_indices, salt=self.salt)
            out = np.where(out == -1, oov + self._oov_start_index(), out)
        return out

    def call(self, inputs):
        if self.output_mode != "int" and not self.pad_to_max_tokens \
                and self._frozen_vocab_size is None:
            raise RuntimeError(
                f"{type(self).__name__} '{self.name}': with output_mode={self.output_mode!r} "
                "and pad_to_max_tokens=False, set the vocabulary (the `vocabulary` argument or "
                "adapt()) before calling the layer.")
        self._called = True
        values = to_numpy_values(inputs, "int" if self.invert else self._kind)
        squeeze = values.ndim == 0
        if squeeze:
            values = values[None]
        lookups = self._lookup(values)
        if self.invert:
            return lookups[0] if squeeze else lookups
        if self.output_mode == "int":
            return ops.convert_to_tensor(lookups[0] if squeeze else lookups, dtype="int64")
        encoded = category_encoding.encode_on_host(
            lookups, "count" if self.output_mode == "tf_idf" else self.output_mode,
            self._depth(), config_module.floatx())
        if self.output_mode == "tf_idf":
            encoded = (encoded * self.idf_weights[:encoded.shape[-1]]).astype(encoded.dtype)
        return ops.convert_to_tensor(encoded)

    # ------------------------------------------------------------------ saving
    def get_build_config(self):
        return {}

    def build_from_config(self, build_config):
        self.built = True

    def save_own_variables(self, store):
        if self.output_mode == "tf_idf" and self.idf_weights is not None:
            store["idf_weights"] = np.asarray(self.idf_weights)

    def load_own_variables(self, store):
        if self.output_mode == "tf_idf" and "idf_weights" in store:
            self.idf_weights = np.asarray(store["idf_weights"], config_module.floatx())

    def save_assets(self, dir_path):
        if self.input_vocabulary is not None:
            return  # the vocabulary is in the config
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(t) for t in self.get_vocabulary()))

    def load_assets(self, dir_path):
        path = os.path.join(dir_path, "vocabulary.txt")
        if self.input_vocabulary is not None or not os.path.isfile(path):
            return
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        values = lines if self._kind == "string" else [int(line) for line in lines]
        idf = self.idf_weights
        self._frozen_vocab_size = None
        self._called = False
        self.set_vocabulary(values, idf_weights=idf if self.output_mode == "tf_idf" else None)

    def get_config(self):
        def listify(x):
            return np.asarray(x).tolist() if isinstance(x, np.ndarray) else x

        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
                "mask_token": self.mask_token, "output_mode": self.output_mode,
                "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": listify(self.input_idf_weights),
                "vocabulary": listify(self.input_vocabulary),
                "vocabulary_size": self._frozen_vocab_size,
                "oov_method": self.oov_method, "salt": self.salt}
