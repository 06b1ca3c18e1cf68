"""CIFAR-10: 60,000 32x32 colour images in 10 classes."""

import os

import numpy as np

from neokeras.datasets import _remote
from neokeras.datasets.cifar import finish, load_batch


def load_data(cache_dir=None):
    """Loads CIFAR-10 (cached in `~/.keras/datasets/`, Keras 3's or Keras 2's layout).

    Args:
        cache_dir: Cache root (Keras 2 argument); `$KERAS_HOME` or `~/.keras` when None.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 32, 32, 3)` (channels-last)
        and uint8 labels `(n, 1)`.
    """
    path = _remote.fetch_cifar("cifar-10-python.tar.gz", "cifar-10-batches-py", "test_batch",
                               cache_dir)
    parts = [load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([np.asarray(p[1], "uint8") for p in parts])
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    return finish(x_train, y_train, x_test, y_test, "uint8")
