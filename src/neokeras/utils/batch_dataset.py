"""`BatchDataset`: the batched, shuffled, seeded dataset the `*_dataset_from_*` functions return.

It is a `PyDataset` (so `fit`, `evaluate` and `predict` consume it, with threads preparing
batches ahead) that also iterates directly (`for x, y in dataset`) and offers the few
`tf.data.Dataset` methods Keras tutorials call on these datasets: `take`, `map`, `prefetch`,
`cache`, `as_numpy_iterator`.
"""

import concurrent.futures
import os

import numpy as np

from neokeras.utils.py_dataset import PyDataset


def _default_workers():
    return max(1, min(8, os.cpu_count() or 1))


class _DatasetOps(PyDataset):
    """Iteration and the `tf.data`-style methods shared by datasets and their views."""

    def __iter__(self):
        workers = self.workers
        if workers <= 1:
            for i in range(len(self)):
                yield self[i]
        else:
            ahead = max(self.max_queue_size, workers)
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                pending = [pool.submit(self.__getitem__, i) for i in range(min(ahead, len(self)))]
                for i in range(len(self)):
                    batch = pending.pop(0).result()
                    if i + len(pending) + 1 < len(self):
                        pending.append(pool.submit(self.__getitem__, i + len(pending) + 1))
                    yield batch
        self.on_epoch_end()

    def as_numpy_iterator(self):
        """Iterates over the batches (numpy arrays already)."""
        return iter(self)

    def take(self, count):
        """A view of the first `count` batches (all when `count` is -1)."""
        return _Take(self, count)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """A view whose batches are `map_func(*batch)` (or `map_func(batch)` for a non-tuple)."""
        return _Map(self, map_func)

    def prefetch(self, buffer_size=None, name=None):
        """Batches are already prepared ahead by worker threads; returns the dataset."""
        return self

    def cache(self, filename="", name=None):
        """Keeps loaded samples in memory after they are first read (files are read once)."""
        self._parent_dataset().cache(filename)
        return self

    def _parent_dataset(self):
        return self._parent


class _Take(_DatasetOps):
    def __init__(self, parent, count):
        super().__init__(workers=parent.workers, max_queue_size=parent.max_queue_size)
        if count is None or int(count) < -1:
            raise ValueError(f"take: count must be a non-negative int or -1. Received: {count!r}")
        self._parent, self._count = parent, int(count)

    def __len__(self):
        return len(self._parent) if self._count == -1 else min(self._count, len(self._parent))

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"batch index {index} out of range for {len(self)} batches")
        return self._parent[index]

    def on_epoch_end(self):
        self._parent.on_epoch_end()


class _Map(_DatasetOps):
    def __init__(self, parent, fn):
        super().__init__(workers=parent.workers, max_queue_size=parent.max_queue_size)
        self._parent, self._fn = parent, fn

    def __len__(self):
        return len(self._parent)

    def __getitem__(self, index):
        batch = self._parent[index]
        return self._fn(*batch) if isinstance(batch, tuple) else self._fn(batch)

    def on_epoch_end(self):
        self._parent.on_epoch_end()


class BatchDataset(_DatasetOps):
    """Samples `load(i)` for `i < num_samples`, grouped in batches.

    Args:
        num_samples: Number of samples.
        load: `load(i)` returns sample `i`: an array or a tuple of arrays.
        batch_size: Samples per batch; None yields single samples.
        shuffle: Draw a new order of the samples for each epoch.
        seed: Seed of the per-epoch orders.
        collate: Makes a batch from a list of values of one tuple position (`np.stack`).
        workers: Threads preparing batches ahead (default: the CPU count, at most 8).
    """

    def __init__(self, num_samples, load, batch_size=32, shuffle=False, seed=None,
                 collate=None, workers=None, max_queue_size=16):
        super().__init__(workers=workers or _default_workers(), max_queue_size=max_queue_size)
        self._n = int(num_samples)
        self._load = load
        self._batch_size = None if batch_size is None else int(batch_size)
        self._shuffle = shuffle
        self._seed = int(np.random.randint(1_000_000)) if seed is None else int(seed)
        self._collate = collate or np.stack
        self._epoch = 0
        self._cache = None
        self._order = self._epoch_order()

    def _epoch_order(self):
        if not self._shuffle:
            return np.arange(self._n)
        return np.random.default_rng([self._seed, self._epoch]).permutation(self._n)

    def __len__(self):
        if self._batch_size is None:
            return self._n
        return -(-self._n // self._batch_size)

    def _sample(self, i):
        if self._cache is None:
            return self._load(i)
        if i not in self._cache:
            self._cache[i] = self._load(i)
        return self._cache[i]

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"batch index {index} out of range for {len(self)} batches")
        if self._batch_size is None:
            return self._sample(int(self._order[index]))
        rows = self._order[index * self._batch_size:(index + 1) * self._batch_size]
        samples = [self._sample(int(i)) for i in rows]
        if isinstance(samples[0], tuple):
            return tuple(self._collate([s[k] for s in samples]) for k in range(len(samples[0])))
        return self._collate(samples)

    def on_epoch_end(self):
        self._epoch += 1
        self._order = self._epoch_order()

    def cache(self, filename="", name=None):
        if filename:
            raise ValueError("cache: only the in-memory cache (filename='') is supported.")
        if self._cache is None:
            self._cache = {}
        return self

    @property
    def element_count(self):
        """Number of samples."""
        return self._n
