"""Reuters newswires labelled over 46 topics, as sequences of word indices."""

import json

import numpy as np

from neokeras.datasets import _remote
from neokeras.datasets import _word_sequences as ws

_LABELS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead")


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3, cache_dir=None, **kwargs):
    """Loads the Reuters newswire dataset (11,228 newswires).

    Args:
        path: File name in the cache (`~/.keras/datasets`).
        num_words: Keep the `num_words` most frequent words (others become `oov_char`).
        skip_top: The `skip_top` most frequent words become `oov_char` too.
        maxlen: Drop sequences of `maxlen` words or more; None keeps all.
        test_split: Fraction of the data used as test set.
        seed: Seed of the shuffle.
        start_char: Index put at the start of every sequence (None: nothing).
        oov_char: Index of cut words; None drops them instead.
        index_from: Offset added to every word index.
        cache_dir: Cache root (Keras 2 argument).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: object arrays of lists of ints, int labels.
    """
    num_words = ws.keras2_nb_words("reuters", num_words, kwargs)
    _remote.check_test_split(test_split)
    f = _remote.load_npz(_remote.fetch(path, "reuters.npz", cache_dir))
    xs, labels = _remote.shuffled(seed, f["x"], f["y"])
    xs = ws.shift_and_mark(xs, start_char, index_from)
    if maxlen:
        xs, labels = ws.drop_long(maxlen, xs, labels)
    xs = ws.cut_vocabulary(xs, num_words, skip_top, oov_char)
    n = int(len(xs) * (1 - test_split))
    labels = np.asarray(labels)
    return ((ws.as_object_array(xs[:n]), labels[:n]), (ws.as_object_array(xs[n:]), labels[n:]))


def get_word_index(path="reuters_word_index.json"):
    """The dict word -> index (before `index_from` is added) of the Reuters dataset."""
    with open(_remote.fetch(path, "reuters_word_index.json")) as f:
        return json.load(f)


def get_label_names():
    """The 46 topic names, in label order."""
    return _LABELS
