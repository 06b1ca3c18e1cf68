"""`IntegerLookup`: maps integer features to contiguous indices from a vocabulary."""

from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.index_lookup import IndexLookup


@keras_name("keras.layers.IntegerLookup")
class IntegerLookup(IndexLookup):
    """Maps integer features to indices (or encodings) through a vocabulary.

    Args:
        max_tokens: Maximum vocabulary size, special tokens included (None: no limit).
        num_oov_indices: Number of out-of-vocabulary indices.
        mask_token: Integer that maps to index 0 (None: no mask).
        oov_token: Value returned for OOV indices when `invert=True` (default -1).
        vocabulary: Optional list of integers, or a file path.
        vocabulary_dtype: Only "int64".
        idf_weights: Inverse document frequencies, with a `vocabulary` in "tf_idf" mode.
        invert: Map indices back to values.
        output_mode: "int", "one_hot", "multi_hot", "count" or "tf_idf".
        sparse: Must be False (sparse outputs are a TensorFlow feature).
        pad_to_max_tokens: Pad encodings to `max_tokens` entries.
        oov_method: "floormod" (value modulo `num_oov_indices`) or "farmhash".
        salt: Key of the strong (SipHash) OOV hash with "farmhash".
    """

    _kind = "int"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError("IntegerLookup: only vocabulary_dtype='int64' is supported. "
                             f"Received: vocabulary_dtype={vocabulary_dtype!r}")
        if salt is not None and oov_method != "farmhash":
            raise ValueError("IntegerLookup: `salt` can only be used with oov_method='farmhash'. "
                             f"Received: oov_method={oov_method!r}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=None if mask_token is None else int(mask_token),
                         oov_token=None if oov_token is None else int(oov_token),
                         vocabulary=vocabulary, vocabulary_dtype=vocabulary_dtype,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         sparse=sparse, pad_to_max_tokens=pad_to_max_tokens,
                         oov_method=oov_method, salt=salt, name=name, **kwargs)
