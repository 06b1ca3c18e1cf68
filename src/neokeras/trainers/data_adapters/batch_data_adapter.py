"""Batches made outside the arrays path: generators and iterators, `PyDataset`/`Sequence`
objects, `tf.data.Dataset`s and torch `DataLoader`s.

Each batch is validated and converted like in-memory arrays (see `array_data_adapter`). Batches
shaped like the first one are stacked, `chunk_size` at a time, into one `Chunk`, so that they
run as one fused compiled call, as array data does; a smaller batch (the last of an epoch) is
padded to the first one's size and masked, and a batch of another shape gets a chunk of its own.
"""

import concurrent.futures
import warnings

import numpy as np

from neokeras.trainers.data_adapters.array_data_adapter import _apply_class_weight
from neokeras.trainers.data_adapters.array_data_adapter import _num_samples
from neokeras.trainers.data_adapters.array_data_adapter import _standardize
from neokeras.trainers.data_adapters.chunk import Chunk
from neokeras.trainers.data_adapters.chunk import padded_batch_rows
from neokeras.trainers.data_adapters.tf_dataset_adapter import TFDatasetSource
from neokeras.trainers.data_adapters.tf_dataset_adapter import is_tf_dataset
from neokeras.trainers.data_adapters.torch_data_loader_adapter import TorchDataLoaderSource
from neokeras.trainers.data_adapters.torch_data_loader_adapter import is_torch_dataloader
from neokeras.utils import tree
from neokeras.utils.py_dataset import PyDataset

# Steps assumed for fusing when a generator's length is unknown (see `fusable_steps`).
_NOMINAL_STEPS = 128
# At most this many bytes of batches are stacked into one chunk.
_CHUNK_BYTES = 64 << 20


def is_batch_data(x):
    """True for a `PyDataset`/`Sequence`, a `tf.data.Dataset`, a torch `DataLoader` or a Python
    iterator/generator."""
    if isinstance(x, PyDataset) or is_tf_dataset(x) or is_torch_dataloader(x):
        return True
    return hasattr(x, "__next__") and hasattr(x, "__iter__")


def describe(x):
    """What kind of batch data `x` is, for messages (`"a tf.data.Dataset"`)."""
    if isinstance(x, PyDataset):
        return "a PyDataset"
    if is_tf_dataset(x):
        return "a tf.data.Dataset"
    if is_torch_dataloader(x):
        return "a torch DataLoader"
    return "a generator"


def _source_of(data):
    if is_tf_dataset(data):
        return TFDatasetSource(data)
    if is_torch_dataloader(data):
        return TorchDataLoaderSource(data)
    return None


def _steps_name(caller):
    if caller == "fit":
        return "steps_per_epoch"
    return "validation_steps" if "validation" in caller else "steps"


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
    """Validated batches from a generator, a `PyDataset`, a `tf.data.Dataset` or a torch
    `DataLoader`.

    A generator is one stream: each epoch goes on where the last one stopped. A dataset or
    `DataLoader` is iterated anew each epoch, or, with `steps`, goes on where the last epoch
    stopped and starts again once it has run out (as in Keras).

    Args:
        data: A generator/iterator, a `PyDataset`, a `tf.data.Dataset` or a `DataLoader`.
        steps: Batches per epoch; None runs a dataset whole and a generator until it ends.
        caller: Name used in error messages.
        class_weight: Optional dict of class weights, applied to every batch.
    """

    def __init__(self, data, steps=None, caller="fit", class_weight=None):
        if steps is not None and (isinstance(steps, bool)
                                  or not isinstance(steps, (int, np.integer)) or steps <= 0):
            raise ValueError(f"{caller}: {_steps_name(caller)} must be a positive int or None. "
                             f"Received: {steps!r}")
        self.caller = caller
        self.class_weight = class_weight
        self._dataset = data if isinstance(data, PyDataset) else None
        self._source = _source_of(data)
        self._iterator = None
        self._drawn = 0  # batches drawn from the source's current pass
        self._steps_given = steps is not None
        if self._dataset is not None:
            length = len(self._dataset)
            if length == 0:
                raise ValueError(f"{caller}: the {type(data).__name__} has no batches (len 0).")
            steps = length if steps is None else min(steps, length)
        elif self._source is not None:
            source = self._source
            if class_weight is not None and not source.supports_class_weight:
                raise ValueError(
                    f"{caller}: class_weight is not supported for a {source.kind}. Make its "
                    "batches (x, y, sample_weight), with weights computed from the classes. "
                    f"Received: class_weight={class_weight}")
            if source.infinite and steps is None:
                raise ValueError(
                    f"{caller}: the {source.kind} repeats forever; pass "
                    f"{_steps_name(caller)}=... to say how many batches make an epoch.")
            if steps is None:
                steps = source.num_batches
        else:
            self._iterator = iter(data)
        self.steps = None if steps is None else int(steps)
        self._peeked = None
        self._layout = None

    def _kind(self):
        return self._source.kind if self._source is not None else "generator"

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

    def _draw(self):
        """The next raw batch of the stream (a source starts a new pass when it has none)."""
        if self._iterator is None:
            self._iterator = iter(self._source)
            self._drawn = 0
        batch = next(self._iterator)
        self._drawn += 1
        return batch

    def peek(self):
        """The first batch (kept, so the first epoch still starts with it)."""
        if self._dataset is not None:
            return self._standardize_batch(self._dataset[0], 0)
        if self._peeked is None:
            try:
                self._peeked = self._standardize_batch(self._draw(), 0)
            except StopIteration:
                raise ValueError(f"{self.caller}: the {self._kind()} produced no data.") from None
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
                    batch = self._standardize_batch(self._draw(), count)
                except StopIteration:
                    self._ran_out(count)
                    return
            yield batch
            count += 1
        source = self._source
        if source is not None and (not self._steps_given or source.num_batches is not None
                                   and self._drawn >= source.num_batches):
            self._iterator = None  # the next epoch starts a new pass

    def _ran_out(self, count):
        if self._source is not None:
            self._iterator = None
            if self._steps_given or count == 0:
                warnings.warn(
                    f"{self.caller}: the {self._source.kind} ran out of data after {count} "
                    f"batches of this epoch; the next epoch starts it again. For "
                    f"{_steps_name(self.caller)}={self.steps} batches per epoch, make it "
                    "longer (e.g. `dataset.repeat()`).", stacklevel=4)
        elif self.steps is not None or count == 0:
            warnings.warn(
                f"{self.caller}: the generator ran out of data after {count} batches of this "
                "epoch; give it more data (e.g. loop forever) or set steps_per_epoch / steps.",
                stacklevel=4)

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

    def fusable_steps(self, pad):
        """Steps of an epoch that can share one compiled chunk (a nominal count when the
        length is unknown: a generator's chunks are then filled until it ends)."""
        return self.steps if self.steps is not None else _NOMINAL_STEPS

    def chunks(self, chunk_size, pad, shuffle=False, rng=None):
        """The epoch's batches, stacked `chunk_size` at a time into `Chunk`s.

        With `pad`, batches smaller than the first one are padded to its size and masked, and
        every chunk carries weights, so all of them run one compiled program. A chunk of fewer
        batches (the epoch's last) is filled up with copies of its first batch, which the
        chunk function skips.
        """
        if self._layout is None:  # from the first batch, once (a generator is not rewound)
            first = self.peek()
            self._layout = (_num_samples(first[0], "x"), _signature(first),
                            sum(a.nbytes for a in tree.flatten(first) if a is not None))
        size, signature, batch_bytes = self._layout
        chunk_size = max(1, min(chunk_size, _CHUNK_BYTES // max(batch_bytes, 1)))
        group, step = [], 0
        for batch in self.batches(shuffle, rng):
            count = _num_samples(batch[0], "x")
            if _signature(batch) == signature and (count == size or pad and count < size):
                group.append((batch, count))
                if len(group) == chunk_size:
                    yield _stacked_chunk(group, size, chunk_size, pad, step)
                    step, group = step + len(group), []
                continue
            if group:
                yield _stacked_chunk(group, size, chunk_size, pad, step)
                step, group = step + len(group), []
            yield Chunk(batch, np.arange(count, dtype="int32")[None], None, 1, step)
            step += 1
        if group:
            yield _stacked_chunk(group, size, chunk_size, pad, step)

    def on_epoch_end(self):
        if self._dataset is not None:
            self._dataset.on_epoch_end()


def _signature(batch):
    """Structure, per-sample shapes and dtypes of a batch: batches of one signature stack."""
    return repr(tree.map_structure(
        lambda a: None if a is None else (a.shape[1:], a.dtype.str), batch))


def _stacked_chunk(group, size, chunk_size, pad, first_step):
    """One `Chunk` of the `(batch, rows)` pairs in `group`: their rows, each batch padded to
    `size` rows, concatenated on the sample axis, step `i` using rows `i*size ... (i+1)*size`."""
    parts = []
    weights = np.ones((chunk_size, size), "float32") if pad else None
    for i, (batch, count) in enumerate(group):
        if count < size:
            rows, weights[i] = padded_batch_rows(np.arange(count), size)
            batch = tree.map_structure(lambda a, rows=rows: None if a is None else a[rows], batch)
        parts.append(batch)
    if weights is not None:
        weights[len(group):] = weights[0]
    if chunk_size == 1:
        data = parts[0]
    else:
        parts += [parts[0]] * (chunk_size - len(parts))
        flat = [tree.flatten(part) for part in parts]
        data = tree.pack_sequence_as(parts[0], [
            None if leaf is None else np.concatenate([leaves[j] for leaves in flat])
            for j, leaf in enumerate(flat[0])])
    indices = np.arange(chunk_size * size, dtype="int32").reshape(chunk_size, size)
    return Chunk(data, indices, weights, len(group), first_step)
