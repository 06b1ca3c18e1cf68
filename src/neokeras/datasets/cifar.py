"""Reading the pickled batches of CIFAR-10 and CIFAR-100."""

import numpy as np

from neokeras import config
from neokeras.datasets import _remote


def load_batch(fpath, label_key="labels"):
    """`(data (n, 3, 32, 32) uint8, labels)` of one pickled CIFAR batch file."""
    with open(fpath, "rb") as f:
        batch = _remote.unpickle(f, encoding="bytes")
    batch = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in batch.items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def finish(x_train, y_train, x_test, y_test, label_dtype):
    """Labels as `(n, 1)` columns, images channels-last unless configured otherwise."""
    y_train = np.reshape(np.asarray(y_train, label_dtype), (len(y_train), 1))
    y_test = np.reshape(np.asarray(y_test, label_dtype), (len(y_test), 1))
    if config.image_data_format() == "channels_last":
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test)
