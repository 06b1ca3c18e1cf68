"""`StringLookup`: maps strings to integer indices from a vocabulary."""

from neokeras.api_export import keras_name
from neokeras.layers.preprocessing.index_lookup import IndexLookup


@keras_name("keras.layers.StringLookup")
class StringLookup(IndexLookup):
    """Maps string features to integer indices (or encodings) through a vocabulary.

    The vocabulary is given (`vocabulary`, a list or a text file path) or learned by
    `adapt(data)`, most frequent terms first. Unknown terms go to the OOV indices.

    Args:
        max_tokens: Maximum vocabulary size, special tokens included (None: no limit).
        num_oov_indices: Number of out-of-vocabulary indices; terms are hashed among them.
        mask_token: Term that maps to index 0 (None: no mask).
        oov_token: Term returned for OOV indices when `invert=True`.
        vocabulary: Optional list of terms, or a file path.
        idf_weights: Inverse document frequencies, with a `vocabulary` in "tf_idf" mode.
        invert: Map indices back to terms.
        output_mode: "int", "one_hot", "multi_hot", "count" or "tf_idf".
        pad_to_max_tokens: Pad encodings to `max_tokens` entries.
        sparse: Must be False (sparse outputs are a TensorFlow feature).
        encoding: Text encoding of byte-string inputs.
        oov_method: How OOV terms spread over several OOV indices ("floormod" or "farmhash").
        salt: Key of the strong (SipHash) OOV hash; None uses FarmHash.
    """

    _kind = "string"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None, salt=None,
                 **kwargs):
        kwargs.pop("vocabulary_dtype", None)
        oov_method = kwargs.pop("oov_method", "floormod")
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=mask_token, oov_token=oov_token, vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode,
                         sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, name=name,
                         salt=salt, oov_method=oov_method, vocabulary_dtype="string",
                         **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
