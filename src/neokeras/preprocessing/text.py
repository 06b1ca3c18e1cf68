"""`keras.preprocessing.text` (Keras 2): word splitting, hashing and the `Tokenizer`.

Deprecated in Keras in favour of `layers.TextVectorization`, kept so Keras 2 programs run:
outputs equal tf-keras's on the same inputs.
"""

import collections
import hashlib
import json
import warnings

import numpy as np

_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(input_text, filters=_FILTERS, lower=True, split=" "):
    """Splits a text into words: `filters` characters become separators; empty words dropped."""
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in input_text.split(split) if word]


def hashing_trick(text, n, hash_function=None, filters=_FILTERS, lower=True, split=" ",
                  analyzer=None):
    """Maps each word of `text` to `hash(word) % (n - 1) + 1` (indices 1..n-1).

    Args:
        hash_function: None (Python's `hash`, which varies between processes unless
            PYTHONHASHSEED is set), `"md5"` (stable), or a callable `str -> int`.
        analyzer: Callable splitting the text into words, replacing the filters/lower/split
            rule.
    """
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(word):
            return int(hashlib.md5(word.encode()).hexdigest(), 16)
    words = analyzer(text) if analyzer is not None else text_to_word_sequence(
        text, filters=filters, lower=lower, split=split)
    return [hash_function(word) % (n - 1) + 1 for word in words]


def one_hot(input_text, n, filters=_FILTERS, lower=True, split=" ", analyzer=None):
    """`hashing_trick` with Python's `hash`: word indices in 1..n-1 (collisions possible)."""
    return hashing_trick(input_text, n, hash_function=hash, filters=filters, lower=lower,
                         split=split, analyzer=analyzer)


class Tokenizer:
    """Builds a word index from texts and turns texts into index sequences or matrices.

    Words are indexed by decreasing frequency (ties: first seen first), starting at 1;
    `oov_token`, when given, gets index 1.

    Args:
        num_words: Keep only words with index < `num_words` when converting; all when None.
        filters: Characters removed from the texts.
        lower: Lowercase the texts.
        split: Word separator.
        char_level: Every character is a token.
        oov_token: Token standing for out-of-vocabulary words in `texts_to_sequences`.
        analyzer: Callable splitting a text into tokens (replaces filters/lower/split).
    """

    def __init__(self, num_words=None, filters=_FILTERS, lower=True, split=" ", char_level=False,
                 oov_token=None, analyzer=None, **kwargs):
        if "nb_words" in kwargs:
            warnings.warn("Tokenizer: `nb_words` was renamed `num_words`.", DeprecationWarning,
                          stacklevel=2)
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(f"Tokenizer: unrecognized keyword arguments {sorted(kwargs)}.")
        self.num_words = num_words
        self.filters = filters
        self.lower = lower
        self.split = split
        self.char_level = char_level
        self.oov_token = oov_token
        self.analyzer = analyzer
        self.document_count = document_count
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}

    def _tokens(self, text):
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters, lower=self.lower,
                                     split=self.split)

    def fit_on_texts(self, texts):
        """Counts the words of `texts` (strings, or lists of tokens) and rebuilds the index."""
        for text in texts:
            self.document_count += 1
            tokens = self._tokens(text)
            for token in tokens:
                self.word_counts[token] = self.word_counts.get(token, 0) + 1
            for token in set(tokens):
                self.word_docs[token] += 1
        # A stable sort keeps first-seen order among equally frequent words.
        by_count = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + [w for w, _ in by_count]
        self.word_index = {word: i for i, word in enumerate(vocabulary, start=1)}
        self.index_word = {i: word for word, i in self.word_index.items()}
        for word, count in list(self.word_docs.items()):
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Counts in how many sequences each index occurs (needed by `tfidf` without texts)."""
        self.document_count += len(sequences)
        for seq in sequences:
            for index in set(seq):
                self.index_docs[index] += 1

    def _kept(self, index):
        return not (self.num_words and index >= self.num_words)

    def texts_to_sequences_generator(self, texts):
        """Yields, per text, the list of word indices (see `texts_to_sequences`)."""
        oov = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for token in self._tokens(text):
                index = self.word_index.get(token)
                if index is not None and self._kept(index):
                    sequence.append(index)
                elif self.oov_token is not None:
                    sequence.append(oov)
            yield sequence

    def texts_to_sequences(self, texts):
        """Lists of word indices; unknown or cut words become the OOV index or are dropped."""
        return list(self.texts_to_sequences_generator(texts))

    def sequences_to_texts_generator(self, sequences):
        """Yields, per sequence of indices, the text of its words joined by spaces."""
        oov = self.word_index.get(self.oov_token)
        for seq in sequences:
            words = []
            for index in seq:
                word = self.index_word.get(index)
                if word is not None and self._kept(index):
                    words.append(word)
                elif self.oov_token is not None:
                    words.append(self.index_word[oov])
            yield " ".join(words)

    def sequences_to_texts(self, sequences):
        """Texts of index sequences (the inverse of `texts_to_sequences`, up to filtering)."""
        return list(self.sequences_to_texts_generator(sequences))

    def texts_to_matrix(self, texts, mode="binary"):
        """`(len(texts), num_words)` matrix; see `sequences_to_matrix` for the modes."""
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """Row `i` describes sequence `i` over the vocabulary.

        Args:
            mode: `"binary"` (presence), `"count"`, `"freq"` (count / length) or `"tfidf"`
                (`(1 + log(count)) * log(1 + documents / (1 + documents with the word))`).
        """
        if mode not in _MODES:
            raise ValueError(f"Tokenizer: mode must be one of {_MODES}. Received: mode={mode!r}")
        if self.num_words:
            width = self.num_words
        elif self.word_index:
            width = len(self.word_index) + 1
        else:
            raise ValueError("Tokenizer: give num_words, or fit the tokenizer on texts first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Tokenizer: fit on some data before using mode='tfidf'.")
        matrix = np.zeros((len(sequences), width))
        for row, seq in enumerate(sequences):
            if not seq:
                continue
            counts = collections.Counter(j for j in seq if j < width)
            for j, count in counts.items():
                if mode == "count":
                    matrix[row, j] = count
                elif mode == "freq":
                    matrix[row, j] = count / len(seq)
                elif mode == "binary":
                    matrix[row, j] = 1
                else:
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(j, 0)))
                    matrix[row, j] = (1 + np.log(count)) * idf
        return matrix

    def get_config(self):
        """The configuration and vocabulary statistics (dicts as JSON strings, as Keras)."""
        return {
            "num_words": self.num_words, "filters": self.filters, "lower": self.lower,
            "split": self.split, "char_level": self.char_level, "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts), "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs), "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """JSON string of the tokenizer; `tokenizer_from_json` restores it."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)


def tokenizer_from_json(json_string):
    """Restores a `Tokenizer` from `Tokenizer.to_json()` (also tf-keras's)."""
    config = dict(json.loads(json_string).get("config"))
    stats = {key: json.loads(config.pop(key)) for key in
             ("word_counts", "word_docs", "index_docs", "index_word", "word_index")}
    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = stats["word_counts"]
    tokenizer.word_docs = stats["word_docs"]
    tokenizer.index_docs = {int(k): v for k, v in stats["index_docs"].items()}
    tokenizer.index_word = {int(k): v for k, v in stats["index_word"].items()}
    tokenizer.word_index = stats["word_index"]
    return tokenizer
