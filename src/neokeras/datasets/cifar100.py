"""CIFAR-100: 60,000 32x32 colour images in 100 fine or 20 coarse classes."""

import os

from neokeras.datasets import _remote
from neokeras.datasets.cifar import finish, load_batch


def load_data(label_mode="fine", cache_dir=None):
    """Loads CIFAR-100 (cached in `~/.keras/datasets/`, Keras 3's or Keras 2's layout).

    Args:
        label_mode: `"fine"` (100 classes) or `"coarse"` (20 superclasses).
        cache_dir: Cache root (Keras 2 argument); `$KERAS_HOME` or `~/.keras` when None.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 32, 32, 3)` (channels-last)
        and int64 labels `(n, 1)`.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError("cifar100.load_data: label_mode must be 'fine' or 'coarse'. "
                         f"Received: label_mode={label_mode!r}")
    path = _remote.fetch_cifar("cifar-100-python.tar.gz", "cifar-100-python", "test", cache_dir)
    key = f"{label_mode}_labels"
    x_train, y_train = load_batch(os.path.join(path, "train"), label_key=key)
    x_test, y_test = load_batch(os.path.join(path, "test"), label_key=key)
    return finish(x_train, y_train, x_test, y_test, "int64")
