"""`warmstart_embedding_matrix`: reuse trained embedding rows after a vocabulary change."""

import os

import numpy as np


def _vocabulary(vocab, what):
    if hasattr(vocab, "numpy") and not isinstance(vocab, np.ndarray):
        vocab = vocab.numpy()
    if isinstance(vocab, (np.ndarray, tuple, list)):
        terms = list(vocab)
    elif isinstance(vocab, (str, os.PathLike)):
        if not os.path.exists(vocab):
            raise ValueError(f"warmstart_embedding_matrix: vocabulary file {vocab!r} does not "
                             "exist.")
        with open(vocab) as f:
            terms = f.read().splitlines()
    else:
        raise ValueError(f"warmstart_embedding_matrix: {what} must be a list, tuple, array or "
                         f"the path of a text file. Received {type(vocab).__name__}.")
    if not terms:
        raise ValueError(f"warmstart_embedding_matrix: {what} is empty.")
    return terms


def warmstart_embedding_matrix(base_vocabulary, new_vocabulary, base_embeddings,
                               new_embeddings_initializer="uniform"):
    """An embedding matrix for `new_vocabulary` that keeps the rows of known terms.

    Args:
        base_vocabulary: Terms of the rows of `base_embeddings` (list, array, or text file
            with one term per line).
        new_vocabulary: Terms of the new matrix's rows.
        base_embeddings: Array `(len(base_vocabulary), dim)`.
        new_embeddings_initializer: Initializer of the rows of new terms.

    Returns:
        Array `(len(new_vocabulary), dim)`.
    """
    from neokeras import initializers, ops

    base_terms = _vocabulary(base_vocabulary, "base_vocabulary")
    new_terms = _vocabulary(new_vocabulary, "new_vocabulary")
    base = np.asarray(base_embeddings)
    if base.ndim != 2 or base.shape[0] != len(base_terms):
        raise ValueError("warmstart_embedding_matrix: base_embeddings must have one row per base "
                         f"term ({len(base_terms)}). Received shape {base.shape}")
    initializer = initializers.get(new_embeddings_initializer)
    out = np.array(ops.convert_to_numpy(initializer((len(new_terms), base.shape[1]),
                                                    dtype=str(base.dtype))))
    row_of = {term: i for i, term in enumerate(base_terms)}
    for i, term in enumerate(new_terms):
        if term in row_of:
            out[i] = base[row_of[term]]
    return out
