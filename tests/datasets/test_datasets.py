"""`keras.datasets`: parsing, cache layout and hashes, against real Keras on the same files.

Small files in each dataset's real format are served from a local HTTP server; the origin
constants are pointed at it. Real Keras loads the same files (its `get_file` redirected to the
server) and must return the same arrays.
"""

import gzip
import hashlib
import io
import json
import os
import pickle
import tarfile

import numpy as np
import pytest

from local_server import LocalServer, closed_port_url
from neokeras import datasets
from neokeras.datasets import _remote

RNG = np.random.default_rng(0)


def _npz(path, **arrays):
    np.savez(path, **arrays)


def _ragged(n, vocab, low=2, high=30):
    out = np.empty(n, dtype=object)
    out[:] = [[int(w) for w in RNG.integers(1, vocab, RNG.integers(low, high))] for _ in range(n)]
    return out


def _idx(path, array, header):
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype("uint8").tobytes())


def _cifar_tar(path, inner, batches):
    with tarfile.open(path, "w:gz") as tar:
        for name, content in batches.items():
            data = pickle.dumps(content, protocol=4)
            info = tarfile.TarInfo(f"{inner}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _cifar_batch(n, label_keys):
    batch = {b"data": RNG.integers(0, 256, (n, 3072), dtype=np.uint8)}
    for key, classes in label_keys.items():
        batch[key] = [int(v) for v in RNG.integers(0, classes, n)]
    return batch


@pytest.fixture(scope="module")
def www(tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    _npz(root / "mnist.npz", x_train=RNG.integers(0, 256, (12, 28, 28), dtype=np.uint8),
         y_train=RNG.integers(0, 10, 12, dtype=np.uint8),
         x_test=RNG.integers(0, 256, (5, 28, 28), dtype=np.uint8),
         y_test=RNG.integers(0, 10, 5, dtype=np.uint8))
    for split, n in (("train", 9), ("t10k", 4)):
        _idx(root / f"{split}-labels-idx1-ubyte.gz", RNG.integers(0, 10, n), b"\0" * 8)
        _idx(root / f"{split}-images-idx3-ubyte.gz", RNG.integers(0, 256, (n, 28, 28)), b"\0" * 16)
    _npz(root / "imdb.npz", x_train=_ragged(40, 60), y_train=RNG.integers(0, 2, 40),
         x_test=_ragged(30, 60), y_test=RNG.integers(0, 2, 30))
    _npz(root / "reuters.npz", x=_ragged(50, 80), y=RNG.integers(0, 46, 50))
    (root / "imdb_word_index.json").write_text(json.dumps({"the": 1, "movie": 2}))
    (root / "reuters_word_index.json").write_text(json.dumps({"said": 1, "mln": 2}))
    _npz(root / "boston_housing.npz", x=RNG.normal(size=(40, 13)), y=RNG.normal(size=40))
    _npz(root / "california_housing.npz", x=RNG.normal(size=(700, 8)), y=RNG.normal(size=700))
    batches = {f"data_batch_{i}": _cifar_batch(3, {b"labels": 10}) for i in range(1, 6)}
    batches["test_batch"] = _cifar_batch(4, {b"labels": 10})
    batches["batches.meta"] = {b"label_names": [b"cat"]}
    _cifar_tar(root / "cifar-10-python.tar.gz", "cifar-10-batches-py", batches)
    keys = {b"fine_labels": 100, b"coarse_labels": 20}
    _cifar_tar(root / "cifar-100-python.tar.gz", "cifar-100-python",
               {"train": _cifar_batch(6, keys), "test": _cifar_batch(3, keys), "meta": {}})
    hashes = {}
    for name in os.listdir(root):
        digest = hashlib.md5 if name.endswith(".json") else hashlib.sha256
        hashes[name] = digest((root / name).read_bytes()).hexdigest()
    with LocalServer(root) as server:
        server.hashes = hashes
        server.root = str(root)
        yield server


@pytest.fixture
def served(www, tmp_path, monkeypatch):
    """Origins point at the local server and the known hashes are the fixtures'."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(_remote, "TF_KERAS_DATASETS", www.url + "/")
    monkeypatch.setattr(_remote, "CIFAR", www.url + "/")
    monkeypatch.setattr(_remote, "HASHES", dict(www.hashes))
    www.requests.clear()
    return www


@pytest.fixture
def keras_datasets(www, tmp_path, monkeypatch):
    """Real Keras's dataset modules, downloading the same files from the local server."""
    pytest.importorskip("keras")
    import importlib

    from keras.src.utils import file_utils as keras_file_utils

    cache = tmp_path / "keras_cache"
    cache.mkdir()

    def get_file(fname=None, origin=None, **kwargs):
        name = origin.rsplit("/", 1)[1]
        kwargs["file_hash"] = www.hashes[name] if kwargs.get("file_hash") else None
        kwargs["cache_dir"] = str(cache)
        return keras_file_utils.get_file(fname, f"{www.url}/{name}", **kwargs)

    names = ["mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters",
             "boston_housing", "california_housing"]
    modules = {n: importlib.import_module(f"keras.src.datasets.{n}") for n in names}
    for module in modules.values():
        monkeypatch.setattr(module, "get_file", get_file)
    return modules


def _assert_same(ours, theirs):
    if isinstance(ours, (tuple, list)) and not isinstance(ours, np.ndarray):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _assert_same(a, b)
        return
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    if ours.dtype == object:
        assert [list(map(int, s)) for s in ours] == [list(map(int, s)) for s in theirs]
    else:
        np.testing.assert_array_equal(ours, theirs)


CASES = [
    ("mnist", {}), ("fashion_mnist", {}), ("cifar100", {}),
    ("cifar100", {"label_mode": "coarse"}),
    ("imdb", {}), ("imdb", {"num_words": 30, "skip_top": 3, "maxlen": 20, "seed": 7}),
    ("imdb", {"start_char": None, "oov_char": None, "index_from": 0, "num_words": 40}),
    ("imdb", {"start_char": None, "index_from": 5}),
    ("reuters", {}), ("reuters", {"num_words": 50, "skip_top": 2, "maxlen": 25,
                                  "test_split": 0.3, "seed": 1}),
    ("reuters", {"oov_char": None, "num_words": 20}),
    ("boston_housing", {}), ("boston_housing", {"test_split": 0.5, "seed": 3}),
    ("california_housing", {}), ("california_housing", {"version": "small", "test_split": 0.1}),
]


@pytest.mark.parametrize("name, kwargs", CASES)
def test_load_data_matches_keras(served, keras_datasets, name, kwargs):
    ours = getattr(datasets, name).load_data(**kwargs)
    theirs = keras_datasets[name].load_data(**kwargs)
    _assert_same(ours, theirs)


def test_cifar10_batches(served, www):
    """Keras's own reader needs full 10,000-image batches, so this one is checked by hand."""
    (x_train, y_train), (x_test, y_test) = datasets.cifar10.load_data()
    batches = {}
    with tarfile.open(os.path.join(www.root, "cifar-10-python.tar.gz")) as tar:
        for m in tar.getmembers():
            batches[os.path.basename(m.name)] = pickle.loads(tar.extractfile(m).read())
    train = [batches[f"data_batch_{i}"] for i in range(1, 6)]
    expected = np.concatenate([b[b"data"] for b in train]).reshape(15, 3, 32, 32)
    np.testing.assert_array_equal(x_train, expected.transpose(0, 2, 3, 1))
    assert y_train.dtype == np.uint8 and y_train.shape == (15, 1)
    assert y_train[:, 0].tolist() == sum((b[b"labels"] for b in train), [])
    np.testing.assert_array_equal(
        x_test, batches["test_batch"][b"data"].reshape(4, 3, 32, 32).transpose(0, 2, 3, 1))
    assert y_test[:, 0].tolist() == batches["test_batch"][b"labels"] and y_test.dtype == np.uint8


@pytest.mark.parametrize("name", ["imdb", "reuters"])
def test_word_index(served, keras_datasets, name):
    assert getattr(datasets, name).get_word_index() == keras_datasets[name].get_word_index()


def test_reuters_label_names():
    keras = pytest.importorskip("keras")
    assert datasets.reuters.get_label_names() == keras.datasets.reuters.get_label_names()


@pytest.mark.parametrize("name, files", [
    ("mnist", ["datasets/mnist.npz"]),
    ("fashion_mnist", [f"datasets/fashion-mnist/{f}" for f in datasets.fashion_mnist.FILES]),
    ("cifar10", ["datasets/cifar-10-batches-py-target_archive",
                 "datasets/cifar-10-batches-py-target/cifar-10-batches-py/test_batch"]),
    ("imdb", ["datasets/imdb.npz"]),
    ("boston_housing", ["datasets/boston_housing.npz"]),
])
def test_cache_layout_and_reuse(served, tmp_path, name, files):
    getattr(datasets, name).load_data()
    for f in files:
        assert (tmp_path / "home" / f).is_file(), f
    count = len(served.requests)
    getattr(datasets, name).load_data()
    assert len(served.requests) == count  # second load reads the cache


def test_keras2_cifar_cache_is_reused(served, tmp_path):
    """tf-keras extracted CIFAR-10 to `datasets/cifar-10-batches-py/`."""
    datasets.cifar10.load_data(cache_dir=tmp_path / "first")
    keras2 = tmp_path / "home" / "datasets"
    os.makedirs(keras2)
    os.rename(tmp_path / "first" / "datasets" / "cifar-10-batches-py-target" /
              "cifar-10-batches-py", keras2 / "cifar-10-batches-py")
    served.requests.clear()
    (x, _), _ = datasets.cifar10.load_data()
    assert x.shape == (15, 32, 32, 3) and served.requests == []


def test_real_hash_rejects_a_different_file(served, monkeypatch, tmp_path):
    monkeypatch.setattr(_remote, "HASHES", {"mnist.npz": _remote.HASHES["mnist.npz"][::-1]})
    with pytest.raises(ValueError, match="hash"):
        datasets.mnist.load_data()
    assert not (tmp_path / "home" / "datasets" / "mnist.npz").exists()


@pytest.mark.parametrize("name", ["mnist", "imdb", "cifar10"])
def test_offline_fails_fast_with_url_and_cache_path(tmp_path, monkeypatch, name):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    base = closed_port_url("")
    monkeypatch.setattr(_remote, "TF_KERAS_DATASETS", base)
    monkeypatch.setattr(_remote, "CIFAR", base)
    with pytest.raises(ConnectionError) as info:
        getattr(datasets, name).load_data()
    message = str(info.value)
    assert base in message and str(tmp_path / "datasets") in message


def test_default_origins_are_keras():
    assert _remote.TF_KERAS_DATASETS == (
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/")
    assert _remote.CIFAR == "https://www.cs.toronto.edu/~kriz/"


def test_pickled_code_is_refused(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("true",))

    path = tmp_path / "evil.npz"
    bad = np.empty(1, dtype=object)
    bad[0] = Evil()
    np.savez(path, x=bad)
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        _remote.load_npz(path)


@pytest.mark.parametrize("call, match", [
    (lambda: datasets.cifar100.load_data(label_mode="medium"), "label_mode"),
    (lambda: datasets.boston_housing.load_data(test_split=1.0), "test_split"),
    (lambda: datasets.california_housing.load_data(version="tiny"), "version"),
    (lambda: datasets.imdb.load_data(maxlen=2), "maxlen"),
])
def test_bad_arguments(served, call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_keras2_nb_words(served):
    with pytest.warns(DeprecationWarning, match="nb_words"):
        (x, _), _ = datasets.imdb.load_data(nb_words=10)
    assert max(max(s) for s in x) < 10
    with pytest.raises(TypeError, match="bogus"):
        datasets.imdb.load_data(bogus=1)
