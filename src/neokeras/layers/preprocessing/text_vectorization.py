"""`TextVectorization`: turns raw strings into token indices or bag-of-words vectors."""

import re

import numpy as np

from neokeras import config as config_module
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.preprocessing import category_encoding
from neokeras.layers.preprocessing.index_lookup import to_numpy_values
from neokeras.layers.preprocessing.string_lookup import StringLookup
from neokeras.saving.serialization import deserialize_keras_object, serialize_keras_object

# TensorFlow's `strings.lower` without an encoding changes ASCII letters only ("Über" stays).
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


def _ngrams(tokens, widths):
    out = []
    for n in widths:
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


@keras_name("keras.layers.TextVectorization")
class TextVectorization(Layer):
    """Standardizes, splits and indexes text, with a vocabulary given or learned by `adapt`.

    Works on the host like Keras 3 (which runs it in TensorFlow outside the compiled step):
    inputs are strings (lists, numpy arrays); outputs are backend arrays.

    Args:
        max_tokens: Maximum vocabulary size, the mask "" and the OOV token "[UNK]" included.
        standardize: "lower_and_strip_punctuation" (default), "lower", "strip_punctuation",
            None, or a callable on a numpy array of strings.
        split: "whitespace" (default), "character", None, or a callable.
        ngrams: None, an int n (all 1..n-grams) or a tuple of widths.
        output_mode: "int", "multi_hot", "count" or "tf_idf".
        output_sequence_length: In "int" mode, pad or cut every output to this length.
        pad_to_max_tokens: Pad bag-of-words outputs to `max_tokens`.
        vocabulary: Optional list of terms, or a file path.
        idf_weights: Inverse document frequencies with a `vocabulary` in "tf_idf" mode.
        sparse: Must be False; ragged: must be False (TensorFlow features).
        encoding: Text encoding of byte-string inputs.
    """

    supports_jit = False

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int", output_sequence_length=None,
                 pad_to_max_tokens=False, vocabulary=None, idf_weights=None, sparse=False,
                 ragged=False, encoding="utf-8", name=None, **kwargs):
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, **kwargs)
        if sparse or ragged:
            raise ValueError("TextVectorization(sparse=True / ragged=True) needs the TensorFlow "
                             "backend.")
        if not (standardize is None or callable(standardize) or standardize in (
                "lower_and_strip_punctuation", "lower", "strip_punctuation")):
            raise ValueError("TextVectorization(standardize=...) must be "
                             "'lower_and_strip_punctuation', 'lower', 'strip_punctuation', None "
                             f"or a callable. Received: standardize={standardize!r}")
        if not (split is None or callable(split) or split in ("whitespace", "character")):
            raise ValueError("TextVectorization(split=...) must be 'whitespace', 'character', "
                             f"None or a callable. Received: split={split!r}")
        output_mode = category_encoding.check_output_mode(
            "TextVectorization", output_mode, category_encoding.OUTPUT_MODES)
        if isinstance(ngrams, list):
            ngrams = tuple(ngrams)
        if not (ngrams is None or isinstance(ngrams, int) or isinstance(ngrams, tuple)
                and all(isinstance(n, int) for n in ngrams)):
            raise ValueError("TextVectorization(ngrams=...) must be None, an int or a tuple of "
                             f"ints. Received: ngrams={ngrams!r}")
        if output_mode == "int" and not (output_sequence_length is None
                                         or isinstance(output_sequence_length, (int, np.integer))):
            raise ValueError("TextVectorization(output_sequence_length=...) must be None or an "
                             f"int. Received: {output_sequence_length!r}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError("TextVectorization: output_sequence_length is only used when "
                             f"output_mode='int'. Received: output_mode={output_mode!r}")
        self._max_tokens = max_tokens
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = (None if output_sequence_length is None
                                        else int(output_sequence_length))
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            encoding=encoding, vocabulary_size=vocabulary_size, name=f"{self.name}_lookup")
        self.built = True

    # ------------------------------------------------------------------ vocabulary
    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary; with special tokens a term's position is its index."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (and, in "tf_idf" mode, the idf weights) directly."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ------------------------------------------------------------------ preprocessing
    def _standardized(self, texts):
        if callable(self._standardize):
            result = self._standardize(np.asarray(texts.tolist(), dtype=str)
                                       if texts.size else texts.astype(str))
            return to_numpy_values(result, "string")
        out = texts.copy()
        flat = out.reshape(-1)
        for i, text in enumerate(flat.tolist()):
            if self._standardize in ("lower", "lower_and_strip_punctuation"):
                text = text.translate(_ASCII_LOWER)
            if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
                text = _PUNCTUATION.sub("", text)
            flat[i] = text
        return out

    def _tokenize(self, inputs):
        """Standardized, split, n-grammed inputs: a list of token lists, or an array."""
        texts = to_numpy_values(inputs, "string")
        texts = self._standardized(texts)
        if self._split is None:
            if self._ngrams is not None:
                raise ValueError("TextVectorization: ngrams need split to be set.")
            return texts
        if texts.ndim > 1:
            if texts.shape[-1] != 1:
                raise ValueError(
                    "TextVectorization: to split strings the input rank must be 1 or the last "
                    f"dimension must be 1. Received: inputs.shape={texts.shape}")
            texts = texts[..., 0]
        if texts.ndim > 1:
            raise ValueError("TextVectorization: inputs of shape (batch,) or (batch, 1) are "
                             f"supported. Received: inputs.shape={texts.shape + (1,)}")
        rows = []
        for text in texts.reshape(-1).tolist():
            if self._split == "whitespace":
                tokens = [t for t in _WHITESPACE.split(text) if t]
            elif self._split == "character":
                tokens = list(text)
            else:
                tokens = [str(t) for t in to_numpy_values(self._split(text), "string").tolist()]
            if self._ngrams is not None:
                tokens = _ngrams(tokens, self._ngrams)
            rows.append(tokens)
        return rows[0] if texts.ndim == 0 else rows

    # ------------------------------------------------------------------ adapt
    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary (and document frequencies) from `data`.

        Args:
            data: Strings as a list or numpy array, or an iterable of such batches.
            batch_size: Unused with arrays (all of `data` is read); accepted as Keras does.
            steps: Number of batches to read from an iterable.
        """
        lookup = self._lookup_layer
        lookup.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, str)) or hasattr(data, "numpy"):
            batches = [data]
        else:
            batches = data
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            tokens = self._tokenize(batch)
            self._update_lookup(tokens)
        lookup.finalize_state()

    def _update_lookup(self, tokens):
        lookup = self._lookup_layer
        if isinstance(tokens, np.ndarray):
            lookup.update_state(tokens.reshape(tokens.shape[0], -1) if tokens.ndim else tokens)
            return
        if tokens and not isinstance(tokens[0], list):
            tokens = [tokens]
        for row in tokens:
            lookup._token_counts.update(row)
            if lookup.output_mode == "tf_idf":
                lookup._document_counts.update(set(row))
        if lookup.output_mode == "tf_idf":
            lookup._num_documents += len(tokens)

    def update_state(self, data):
        self._update_lookup(self._tokenize(data))

    def finalize_state(self):
        self._lookup_layer.finalize_state()

    def reset_state(self):
        self._lookup_layer.reset_state()

    # ------------------------------------------------------------------ call
    def _convert_inputs(self, inputs):
        return inputs

    def _maybe_build(self, inputs):
        self.built = True

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            if self._split is None:
                return input_shape
            if len(input_shape) > 1 and input_shape[-1] == 1:
                input_shape = input_shape[:-1]
            return input_shape + (self._output_sequence_length,)
        depth = (self._max_tokens if self._lookup_layer.pad_to_max_tokens
                 else self._lookup_layer._frozen_vocab_size)
        if self._split is None and len(input_shape) <= 1:
            input_shape = input_shape + (1,)
        if len(input_shape) > 1 and input_shape[-1] == 1 and self._split is not None:
            input_shape = input_shape[:-1] + (1,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs):
        from neokeras.backend import KerasTensor

        dtype = "int64" if self._output_mode == "int" else config_module.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=dtype)

    def call(self, inputs):
        lookup = self._lookup_layer
        tokens = self._tokenize(inputs)
        if isinstance(tokens, np.ndarray):  # split=None: one token per element
            return lookup(tokens)
        single = bool(tokens) and not isinstance(tokens[0], list) or tokens == []
        rows = [tokens] if single else tokens
        if lookup.output_mode != "int":
            lookup._called = True
            depth = lookup._depth()
            out = np.zeros((len(rows), depth), dtype=config_module.floatx())
            for r, row in enumerate(rows):
                if row:
                    indices = lookup._lookup(np.asarray(row, dtype=object))
                    mode = "count" if self._output_mode == "tf_idf" else self._output_mode
                    out[r] = category_encoding.encode_on_host(indices, mode, depth, out.dtype)
            if self._output_mode == "tf_idf":
                out = (out * lookup.idf_weights[:depth]).astype(out.dtype)
            return ops.convert_to_tensor(out[0] if single else out)
        length = self._output_sequence_length
        if length is None:
            length = max((len(r) for r in rows), default=0)
        out = np.zeros((len(rows), length), dtype=np.int64)
        for r, row in enumerate(rows):
            row = row[:length]
            if row:
                out[r, :len(row)] = lookup._lookup(np.asarray(row, dtype=object))
        return ops.convert_to_tensor(out[0] if single else out, dtype="int64")

    # ------------------------------------------------------------------ saving
    def get_build_config(self):
        return {}

    def build_from_config(self, build_config):
        self.built = True

    def save_own_variables(self, store):
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store):
        self._lookup_layer.load_own_variables(store)

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)

    def get_config(self):
        lookup = self._lookup_layer

        def listify(x):
            return np.asarray(x).tolist() if isinstance(x, np.ndarray) else x

        def plain(fn):
            return fn if fn is None or isinstance(fn, str) else serialize_keras_object(fn)

        return {**super().get_config(), "max_tokens": lookup.max_tokens,
                "standardize": plain(self._standardize), "split": plain(self._split),
                "ngrams": list(self._ngrams_arg) if isinstance(self._ngrams_arg, tuple)
                else self._ngrams_arg,
                "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens, "sparse": False, "ragged": False,
                "vocabulary": listify(lookup.input_vocabulary),
                "idf_weights": listify(lookup.input_idf_weights), "encoding": self._encoding,
                "vocabulary_size": self.vocabulary_size()}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = deserialize_keras_object(config[key])
        return cls(**config)
