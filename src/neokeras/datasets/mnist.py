"""MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 pixels."""

import numpy as np

from neokeras.datasets import _remote


def load_data(path="mnist.npz", cache_dir=None):
    """Loads MNIST (downloaded once to `~/.keras/datasets/mnist.npz`).

    Args:
        path: File name in the cache.
        cache_dir: Cache root (Keras 2 argument); `$KERAS_HOME` or `~/.keras` when None.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 28, 28)` and labels `(n,)`.
    """
    path = _remote.fetch(path, "mnist.npz", cache_dir)
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
