"""Batches produced by Python: generators and iterators, and `PyDataset`/`Sequence` objects.

Each batch is validated and converted like in-memory arrays (see `array_data_adapter`) and
becomes a one-step `Chunk` whose data is the batch itself. A batch smaller than the first one
(the last of an epoch) is padded to the first one's size and masked, so that the same compiled
program serves it.
"""

import concurrent.futures
import warnings

import numpy as np

from neokeras.trainers.data_adapters.array_data_adapter import _apply_class_weight
from neokeras.trainers.data_adapters.array_data_adapter import _num_samples
from neokeras.trainers.data_adapters.array_data_adapter import _standardize
from neokeras.trainers.data_adapters.chunk import Chunk
from neokeras.trainers.data_adapters.chunk import padded_batch_rows
from neokeras.utils import tree
from neokeras.utils.py_dataset import PyDataset


def is_batch_data(x):
    """True for a `PyDataset`/`Sequence` or a Python iterator/generator."""
    if isinstance(x, PyDataset):
        return True
    return hasattr(x, "__next__") and hasattr(x, "__iter__")


def unpack_batch(batch):
    """`x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` -> `(x, y, sample_weight)`.

    A list counts as a tuple, as in Keras (so several inputs go in a tuple: `((x1, x2), y)`).
    """
    if isinstance(batch, list):
        batch = tuple(batch)
    if isinstance(batch, tuple):
        if not 1 <= len(batch) <= 3:
            raise ValueError(
                "A batch must be x, (x,), (x, y) or (x, y, sample_weight). Received a tuple "
                f"of length {len(batch)}.")
        return (tuple(batch) + (None, None))[:3]
    return batch, None, None


class BatchDataAdapter:
    """Validated batches from a generator or a `PyDataset`.

    Args:
        data: A generator/iterator or a `PyDataset`.
        steps: Batches per epoch; None runs a `PyDataset` whole and a generator until it ends.
        caller: Name used in error messages.
        class_weight: Optional dict of class weights, applied to every batch.
    """

    def __init__(self, data, steps=None, caller="fit", class_weight=None):
        if steps is not None and (isinstance(steps, bool)
                                  or not isinstance(steps, (int, np.integer)) or steps <= 0):
            raise ValueError(f"{caller}: steps must be a positive int or None. Received: {steps!r}")
        self.caller = caller
        self.class_weight = class_weight
        self._dataset = data if isinstance(data, PyDataset) else None
        self._iterator = None if self._dataset is not None else iter(data)
        if self._dataset is not None:
            length = len(self._dataset)
            if length == 0:
                raise ValueError(f"{caller}: the {type(data).__name__} has no batches (len 0).")
            steps = length if steps is None else min(steps, length)
        self.steps = None if steps is None else int(steps)
        self._peeked = None
        self._batch_size = None
        self.exhausted = False

    def _standardize_batch(self, batch, index):
        x, y, sample_weight = unpack_batch(batch)
        what = f"batch {index} of the {self.caller} data"
        if x is None:
            raise ValueError(f"{self.caller}: {what} has no inputs x.")
        x = _standardize(x, f"x ({what})")
        y = _standardize(y, f"y ({what})")
        sample_weight = _standardize(sample_weight, f"sample_weight ({what})")
        n = _num_samples(x, f"x ({what})")
        if n == 0:
            raise ValueError(f"{self.caller}: {what} is empty (0 samples).")
        for name, part in (("y", y), ("sample_weight", sample_weight)):
            if part is not None and _num_samples(part, name) != n:
                raise ValueError(f"{self.caller}: in {what}, x has {n} samples but {name} has "
                                 f"{_num_samples(part, name)}.")
        for leaf in tree.flatten(y):
            if leaf is not None and np.issubdtype(leaf.dtype, np.floating) and np.isnan(leaf).any():
                raise ValueError(f"{self.caller}: the targets y of {what} contain NaN values.")
        if self.class_weight is not None and y is not None:
            sample_weight = _apply_class_weight(y, sample_weight, self.class_weight, self.caller)
        return x, y, sample_weight

    def peek(self):
        """The first batch (kept, so the first epoch still starts with it)."""
        if self._dataset is not None:
            return self._standardize_batch(self._dataset[0], 0)
        if self._peeked is None:
            try:
                self._peeked = self._standardize_batch(next(self._iterator), 0)
            except StopIteration:
                raise ValueError(f"{self.caller}: the generator produced no data.") from None
        return self._peeked

    def batches(self, shuffle=False, rng=None):
        """Yields the validated `(x, y, sample_weight)` batches of one epoch."""
        if self._dataset is not None:
            yield from self._dataset_batches(shuffle, rng)
            return
        count = 0
        while self.steps is None or count < self.steps:
            if self._peeked is not None:
                batch, self._peeked = self._peeked, None
            else:
                try:
                    batch = self._standardize_batch(next(self._iterator), count)
                except StopIteration:
                    self.exhausted = True
                    if self.steps is not None or count == 0:
                        warnings.warn(
                            f"{self.caller}: the generator ran out of data after {count} "
                            "batches of this epoch; give it more data (e.g. loop forever) or "
                            "set steps_per_epoch / steps.", stacklevel=3)
                    return
            yield batch
            count += 1

    def _dataset_batches(self, shuffle, rng):
        order = np.arange(len(self._dataset))
        if shuffle and rng is not None:
            order = rng.permutation(order)
        order = order[: self.steps]
        workers = max(int(getattr(self._dataset, "workers", 1) or 1), 1)
        if workers == 1:
            for position, index in enumerate(order):
                yield self._standardize_batch(self._dataset[int(index)], position)
            return
        # Threads prepare up to `max_queue_size` batches ahead, in order.
        ahead = max(int(getattr(self._dataset, "max_queue_size", 10) or 1), 1)
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            pending = []
            for position, index in enumerate(order):
                pending.append(pool.submit(self._dataset.__getitem__, int(index)))
                if len(pending) > ahead:
                    yield self._standardize_batch(pending.pop(0).result(), position - ahead)
            start = len(order) - len(pending)
            for offset, future in enumerate(pending):
                yield self._standardize_batch(future.result(), start + offset)

    def first_batch(self):
        return self.peek()

    def limit_steps(self, steps):
        pass  # given to the constructor

    has_partial_batch = True  # unknown until the data runs out: plan for one

    def chunks(self, chunk_size, pad, shuffle=False, rng=None):
        """One `Chunk` per batch (`chunk_size` is ignored: each batch is made by Python).

        With `pad`, batches smaller than the first one are padded to its size and masked, and
        every chunk carries weights, so all of them run one compiled program.
        """
        if self._batch_size is None:
            self._batch_size = _num_samples(self.peek()[0], "x")
        size = self._batch_size
        for step, batch in enumerate(self.batches(shuffle, rng)):
            count = _num_samples(batch[0], "x")
            if not pad or count > size:
                yield Chunk(batch, np.arange(count, dtype="int32")[None], None, 1, step)
                continue
            rows, weights = padded_batch_rows(np.arange(count), size)
            if count < size:
                batch = tree.map_structure(lambda a: None if a is None else a[rows], batch)
            yield Chunk(batch, np.arange(size, dtype="int32")[None], weights[None], 1, step)

    def on_epoch_end(self):
        if self._dataset is not None:
            self._dataset.on_epoch_end()
