"""Boston housing prices (13 features per house, 506 houses)."""

import numpy as np

from neokeras.datasets import _housing, _remote


def load_data(path="boston_housing.npz", test_split=0.2, seed=113, cache_dir=None):
    """Loads the Boston housing dataset.

    Args:
        path: File name in the cache (`~/.keras/datasets`).
        test_split: Fraction of the data used as test set.
        seed: Seed of the shuffle before the split.
        cache_dir: Cache root (Keras 2 argument).

    Returns:
        `(x_train, y_train), (x_test, y_test)`.
    """
    _remote.check_test_split(test_split)
    with np.load(_remote.fetch(path, "boston_housing.npz", cache_dir), allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return _housing.split(x, y, test_split, seed)
