"""`PyDataset` (Keras 2: `Sequence`): a dataset of batches indexed by Python."""

from neokeras.api_export import keras_name


@keras_name("keras.utils.PyDataset")
class PyDataset:
    """Base class of datasets that produce batches in Python.

    Subclasses implement `__len__` (batches per epoch) and `__getitem__(index)` returning
    `x`, `(x, y)` or `(x, y, sample_weight)`; `on_epoch_end` runs after each epoch.

    Args:
        workers: Threads that prepare batches ahead (1: none).
        use_multiprocessing: Accepted for compatibility; batches are prepared in threads.
        max_queue_size: How many batches may be prepared ahead.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__.")

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__.")

    def on_epoch_end(self):
        pass

    @property
    def num_batches(self):
        return len(self)


@keras_name("keras.utils.Sequence")
class Sequence(PyDataset):
    """Keras 2 name of `PyDataset`."""
