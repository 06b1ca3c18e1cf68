"""IMDB movie reviews labelled by sentiment, as sequences of word indices."""

import json

import numpy as np

from neokeras.datasets import _remote
from neokeras.datasets import _word_sequences as ws


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, cache_dir=None, **kwargs):
    """Loads the IMDB dataset (25,000 training and 25,000 test reviews).

    Args:
        path: File name in the cache (`~/.keras/datasets`).
        num_words: Keep the `num_words` most frequent words (others become `oov_char`);
            all when None.
        skip_top: The `skip_top` most frequent words become `oov_char` too.
        maxlen: Drop sequences of `maxlen` words or more; None keeps all.
        seed: Seed of the shuffle of each split.
        start_char: Index put at the start of every sequence (None: nothing).
        oov_char: Index of cut words; None drops them instead.
        index_from: Offset added to every word index.
        cache_dir: Cache root (Keras 2 argument).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints, int labels.
    """
    num_words = ws.keras2_nb_words("imdb", num_words, kwargs)
    f = _remote.load_npz(_remote.fetch(path, "imdb.npz", cache_dir))
    # One RandomState shuffles the training split, then the test split, as in Keras.
    rng = np.random.RandomState(seed)
    order = np.arange(len(f["x_train"]))
    rng.shuffle(order)
    x_train, y_train = f["x_train"][order], f["y_train"][order]
    order = np.arange(len(f["x_test"]))
    rng.shuffle(order)
    x_test, y_test = f["x_test"][order], f["y_test"][order]

    x_train = ws.shift_and_mark(x_train, start_char, index_from)
    x_test = ws.shift_and_mark(x_test, start_char, index_from)
    if maxlen:
        x_train, y_train = ws.drop_long(maxlen, x_train, y_train)
        x_test, y_test = ws.drop_long(maxlen, x_test, y_test)
        if not x_train or not x_test:
            raise ValueError(f"imdb.load_data: no sequence is shorter than maxlen={maxlen}; "
                             "increase maxlen.")
    xs = ws.cut_vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([y_train, y_test])
    n = len(x_train)
    return ((ws.as_object_array(xs[:n]), labels[:n]), (ws.as_object_array(xs[n:]), labels[n:]))


def get_word_index(path="imdb_word_index.json"):
    """The dict word -> index (before `index_from` is added) of the IMDB dataset."""
    with open(_remote.fetch(path, "imdb_word_index.json")) as f:
        return json.load(f)
