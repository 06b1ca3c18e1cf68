"""The shuffled train/test split shared by the two housing-price datasets."""

import numpy as np

from neokeras.datasets import _remote


def split(x, y, test_split, seed):
    x, y = _remote.shuffled(seed, x, y)
    n = int(len(x) * (1 - test_split))
    return (np.array(x[:n]), np.array(y[:n])), (np.array(x[n:]), np.array(y[n:]))
