"""Fashion-MNIST: 70,000 28x28 grayscale images of clothes in 10 classes."""

import gzip
import os

import numpy as np

from neokeras.datasets import _remote
from neokeras.utils.file_utils import get_file

FILES = ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")


def _read(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data(cache_dir=None):
    """Loads Fashion-MNIST (cached in `~/.keras/datasets/fashion-mnist/`).

    Args:
        cache_dir: Cache root (Keras 2 argument); `$KERAS_HOME` or `~/.keras` when None.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 28, 28)` and labels `(n,)`.
    """
    paths = [get_file(name, _remote.TF_KERAS_DATASETS + name, cache_dir=cache_dir,
                      cache_subdir=os.path.join("datasets", "fashion-mnist")) for name in FILES]
    y_train, y_test = _read(paths[0], 8), _read(paths[2], 8)
    x_train = _read(paths[1], 16).reshape(len(y_train), 28, 28)
    x_test = _read(paths[3], 16).reshape(len(y_test), 28, 28)
    return (x_train, y_train), (x_test, y_test)
