"""Word2vec training pairs (Keras 2): `skipgrams` and the Zipf `make_sampling_table`."""

import random

import numpy as np


def make_sampling_table(size, sampling_factor=1e-5):
    """Probability of keeping the word of each frequency rank (word2vec subsampling, Zipf law).

    Returns:
        Array of `size` probabilities; index `i` is the `i`-th most frequent word.
    """
    rank = np.arange(size)
    rank[0] = 1
    inverse_frequency = rank * (np.log(rank) + 0.577) + 0.5 - 1.0 / (12.0 * rank)
    f = sampling_factor * inverse_frequency
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True,
              categorical=False, sampling_table=None, seed=None):
    """Pairs `(word, context)` labelled 1 for neighbours and 0 for random negatives.

    Index 0 is skipped (padding). Negatives pair a shuffled center word with a random index in
    `[1, vocabulary_size - 1]`, drawn with Python's `random` (as tf-keras).

    Args:
        sequence: Word indices.
        vocabulary_size: Vocabulary size (largest index + 1).
        window_size: Neighbours on each side.
        negative_samples: Negatives per positive (0 for none).
        shuffle: Shuffle the pairs (seeded by `seed`).
        categorical: Labels as `[0, 1]` / `[1, 0]` instead of 1 / 0.
        sampling_table: Keep word `w` as a center with probability `sampling_table[w]`.
        seed: Seed of the final shuffle.

    Returns:
        `(couples, labels)`: lists of `[word, context]` and of labels.
    """
    couples, labels = [], []
    positive = [0, 1] if categorical else 1
    negative = [1, 0] if categorical else 0
    for i, center in enumerate(sequence):
        if not center:
            continue
        if sampling_table is not None and sampling_table[center] < random.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([center, sequence[j]])
                labels.append(positive)
    if negative_samples > 0:
        count = int(len(labels) * negative_samples)
        centers = [pair[0] for pair in couples]
        random.shuffle(centers)
        couples += [[centers[i % len(centers)], random.randint(1, int(vocabulary_size - 1))]
                    for i in range(count)]
        labels += [negative] * count
    if shuffle:
        if seed is None:
            seed = random.randint(0, int(1e7))
        # The same seed shuffles both lists, keeping each label with its pair.
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels
