"""Index shifting and vocabulary cuts shared by the IMDB and Reuters word-index datasets."""

import warnings

import numpy as np


def keras2_nb_words(dataset, num_words, kwargs):
    """Accepts Keras 1/2's `nb_words` for `num_words`; any other extra keyword is an error."""
    if "nb_words" in kwargs:
        warnings.warn(f"{dataset}.load_data: `nb_words` is deprecated; use `num_words`.",
                      DeprecationWarning, stacklevel=3)
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"{dataset}.load_data: unrecognized keyword arguments {sorted(kwargs)}.")
    return num_words


def shift_and_mark(sequences, start_char, index_from):
    """Adds `index_from` to every word index and puts `start_char` (if any) in front."""
    head = [] if start_char is None else [start_char]
    return [head + [int(w) + index_from for w in seq] for seq in sequences]


def drop_long(maxlen, sequences, labels):
    """Keeps the sequences shorter than `maxlen` (strictly, as Keras does) and their labels."""
    kept = [i for i, seq in enumerate(sequences) if len(seq) < maxlen]
    return [sequences[i] for i in kept], np.asarray(labels)[kept]


def cut_vocabulary(sequences, num_words, skip_top, oov_char):
    """Words outside `[skip_top, num_words)` become `oov_char`, or are dropped when it is None."""
    if not num_words:
        num_words = max(max(seq) for seq in sequences if seq)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in seq] for seq in sequences]
    return [[w for w in seq if skip_top <= w < num_words] for seq in sequences]


def as_object_array(sequences):
    out = np.empty(len(sequences), dtype=object)
    out[:] = sequences
    return out
