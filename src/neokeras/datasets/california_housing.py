"""California housing prices (8 features per block group, 20,640 block groups)."""

import numpy as np

from neokeras.datasets import _housing, _remote


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113,
              cache_dir=None):
    """Loads the California housing dataset.

    Args:
        version: `"large"` (all 20,640 samples) or `"small"` (the first 600).
        path: File name in the cache (`~/.keras/datasets`).
        test_split: Fraction of the data used as test set.
        seed: Seed of the shuffle before the split.
        cache_dir: Cache root.

    Returns:
        `(x_train, y_train), (x_test, y_test)`.
    """
    _remote.check_test_split(test_split)
    if version not in ("large", "small"):
        raise ValueError("california_housing.load_data: version must be 'large' or 'small'. "
                         f"Received: version={version!r}")
    with np.load(_remote.fetch(path, "california_housing.npz", cache_dir),
                 allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return _housing.split(x, y, test_split, seed)
