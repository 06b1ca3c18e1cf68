"""Where Keras's datasets live online, their hashes, and safe reading of the downloaded files.

Origins, file names and hashes are Keras's own, so files Keras already downloaded into
`~/.keras/datasets` are found and reused. Tests point the origins at a local server by
replacing `TF_KERAS_DATASETS` / `CIFAR` (and `HASHES`).
"""

import io
import os
import pickle
import zipfile

import numpy as np

from neokeras.utils.file_utils import get_file, keras_home

TF_KERAS_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
CIFAR = "https://www.cs.toronto.edu/~kriz/"

HASHES = {
    "mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    "imdb.npz": "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    "imdb_word_index.json": "bfafd718b763782e994055a2d397834f",
    "reuters.npz": "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    "reuters_word_index.json": "4d44cc38712099c9e383dc6e5f11a921",
    "boston_housing.npz": "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    "california_housing.npz": "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f",
    "cifar-10-python.tar.gz": "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
    "cifar-100-python.tar.gz": "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
}


def fetch(fname, remote_name, cache_dir=None, **kwargs):
    """`get_file` of a file of the tf-keras-datasets bucket, checked against its known hash."""
    return get_file(fname, TF_KERAS_DATASETS + remote_name, file_hash=HASHES.get(remote_name),
                    cache_dir=cache_dir, **kwargs)


def fetch_cifar(archive, inner_dir, last_file, cache_dir=None):
    """The extracted CIFAR directory `inner_dir`, downloading and extracting when needed.

    Keras 3 extracts into `datasets/<inner_dir>-target/<inner_dir>`; Keras 2 extracted into
    `datasets/<inner_dir>`. A copy at either place holding `last_file` is reused.
    """
    root = os.path.expanduser(cache_dir) if cache_dir is not None else keras_home()
    keras3_dir = os.path.join(root, "datasets", f"{inner_dir}-target")
    keras2_dir = os.path.join(root, "datasets", inner_dir)
    if not os.path.isdir(keras3_dir) and os.path.isfile(os.path.join(keras2_dir, last_file)):
        return keras2_dir
    path = get_file(f"{inner_dir}-target", CIFAR + archive, extract=True,
                    file_hash=HASHES.get(archive), cache_dir=cache_dir)
    return os.path.join(path, inner_dir)


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickles numpy arrays and plain Python data only: a dataset file cannot run code."""

    _ALLOWED = frozenset({("numpy", "ndarray"), ("numpy", "dtype"),
                          ("numpy.core.multiarray", "_reconstruct"),
                          ("numpy._core.multiarray", "_reconstruct")})

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load `{module}.{name}` from a dataset file: only numpy arrays and "
            "plain Python data are allowed. The file may be corrupted or malicious.")


def unpickle(file, encoding="ASCII"):
    return _RestrictedUnpickler(file, encoding=encoding).load()


def load_npz(path):
    """The arrays of an `.npz` file; object arrays (lists of sequences) are unpickled safely."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.endswith(".npy"):
                continue
            buffer = io.BytesIO(archive.read(member))
            try:
                array = np.lib.format.read_array(buffer, allow_pickle=False)
            except ValueError:
                buffer.seek(0)
                major, _ = np.lib.format.read_magic(buffer)
                if major == 1:
                    np.lib.format.read_array_header_1_0(buffer)
                else:
                    np.lib.format.read_array_header_2_0(buffer)
                array = unpickle(buffer)
            arrays[member[:-len(".npy")]] = array
    return arrays


def shuffled(seed, *arrays):
    """The arrays in one permutation drawn as Keras draws it (`RandomState(seed).shuffle`)."""
    indices = np.arange(len(arrays[0]))
    np.random.RandomState(seed).shuffle(indices)
    return [a[indices] for a in arrays]


def check_test_split(test_split):
    if not 0 <= test_split < 1:
        raise ValueError(f"load_data: test_split must be in [0, 1). Received: {test_split}")
