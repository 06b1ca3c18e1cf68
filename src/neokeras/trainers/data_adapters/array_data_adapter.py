"""In-memory arrays (numpy, lists, nested lists/dicts of arrays) as batches of a dataset.

The arrays are validated once (equal lengths, numeric dtypes, no NaN targets), converted to the
dtypes the backend uses, and then either moved to the device whole, once (fit: each compiled
chunk gathers its batches there), gathered on the host chunk by chunk (evaluation, so that
data of any length runs one compiled program), or sliced per batch (predict).
"""

import math

import numpy as np

from neokeras import backend
from neokeras import config
from neokeras.trainers import distributed
from neokeras.trainers.data_adapters.chunk import Chunk
from neokeras.trainers.data_adapters.chunk import group_steps
from neokeras.trainers.data_adapters.chunk import padded_batch_rows
from neokeras.trainers.data_adapters.torch_data_loader_adapter import is_torch_dataset
from neokeras.utils import tree

# At most this many bytes of rows are gathered into one streamed chunk (see `chunks`).
_CHUNK_BYTES = 64 << 20


def is_array_data(x):
    leaves = tree.flatten(x)
    return bool(leaves) and all(
        leaf is None or isinstance(leaf, (np.ndarray, list)) or hasattr(leaf, "__array__")
        and hasattr(leaf, "shape") for leaf in leaves)


def _standardize_leaf(leaf, what):
    if leaf is None:
        return None
    if hasattr(leaf, "to_numpy") and not isinstance(leaf, np.ndarray):  # pandas
        leaf = leaf.to_numpy()
    if hasattr(leaf, "toarray") and hasattr(leaf, "tocsr"):  # scipy.sparse: densified
        leaf = leaf.toarray()
    array = np.asarray(leaf)
    if array.dtype == object:
        raise ValueError(
            f"{what} contains Python objects (dtype=object); expected numeric arrays. "
            "Check for ragged lists or mixed types.")
    if array.ndim == 0:
        raise ValueError(f"{what} must have a batch dimension. Received a scalar.")
    if array.dtype == np.float64:
        array = array.astype(config.floatx())
    elif array.dtype == np.int64:
        array = array.astype("int32")
    elif array.dtype == np.uint64:
        array = array.astype("uint32")
    return array


def _standardize(structure, what):
    """A list of arrays (or a dict) is several inputs; a list of numbers is one array."""
    if structure is None:
        return None
    if isinstance(structure, (list, tuple)) and not all(
            isinstance(item, (dict, list, tuple)) and _is_structure(item) or hasattr(item, "shape")
            for item in structure):
        return _standardize_leaf(structure, what)
    return tree.map_structure(lambda leaf: _standardize_leaf(leaf, what), structure)


def _is_structure(item):
    return isinstance(item, dict) or all(hasattr(i, "shape") for i in item)


def _num_samples(structure, what):
    sizes = {int(a.shape[0]) for a in tree.flatten(structure) if a is not None}
    if len(sizes) > 1:
        raise ValueError(f"All arrays in {what} must have the same number of samples. "
                         f"Received sizes {sorted(sizes)}.")
    return sizes.pop() if sizes else None


class ArrayDataAdapter:
    """Validated in-memory data.

    Args:
        x: Input array(s).
        y: Target array(s) or None.
        sample_weight: Per-sample weights or None.
        batch_size: Samples per batch.
        caller: Name used in error messages (`"fit"`, `"evaluate"`, `"predict"`).
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, caller="fit",
                 class_weight=None):
        if batch_size is None:
            batch_size = 32
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
            raise ValueError(f"{caller}: batch_size must be a positive int. Received: {batch_size!r}")
        if x is None:
            raise ValueError(f"{caller}: no input data `x` was given.")
        if is_torch_dataset(x):
            raise ValueError(
                f"{caller}: x is a torch {type(x).__name__}, which holds single samples. Wrap it "
                "in a `torch.utils.data.DataLoader(dataset, batch_size=...)` to pass batches.")
        self.x = _standardize(x, "x")
        self.y = _standardize(y, "y")
        self.sample_weight = _standardize(sample_weight, "sample_weight")
        n = _num_samples(self.x, "x")
        if n == 0:
            raise ValueError(f"{caller}: x is empty (0 samples); there is nothing to {caller} on.")
        for name, part in (("y", self.y), ("sample_weight", self.sample_weight)):
            if part is None:
                continue
            m = _num_samples(part, name)
            if m != n:
                raise ValueError(
                    f"{caller}: x has {n} samples but {name} has {m}. x and {name} must contain "
                    "the same number of samples.")
        if self.y is not None:
            for leaf in tree.flatten(self.y):
                if leaf is not None and np.issubdtype(leaf.dtype, np.floating) and np.isnan(leaf).any():
                    raise ValueError(f"{caller}: the targets y contain NaN values.")
        if class_weight is not None:
            self.sample_weight = _apply_class_weight(self.y, self.sample_weight, class_weight, caller)
        self.num_samples = n
        self.batch_size = int(min(batch_size, n))
        self.num_full_batches = n // self.batch_size
        self.remainder = n - self.num_full_batches * self.batch_size
        self.steps = self.num_full_batches + (1 if self.remainder else 0)
        self._device_data = None

    def limit_steps(self, steps):
        """Uses only the first `steps` batches of each epoch (`steps_per_epoch`)."""
        if steps is not None:
            self.steps = min(self.steps, int(steps))

    def fusable_steps(self, pad):
        """Steps of an epoch that can share one compiled chunk: all of them when the last
        partial batch is padded, else the full batches."""
        return self.steps if pad else min(self.steps, self.num_full_batches)

    @property
    def has_partial_batch(self):
        return self.steps * self.batch_size > self.num_samples

    def first_batch(self):
        """The first `batch_size` samples (to build the model, losses and metrics from)."""
        return tuple(None if part is None else tree.map_structure(
            lambda a: None if a is None else a[:self.batch_size], part)
            for part in self.arrays())

    def chunks(self, chunk_size, pad, shuffle=False, rng=None, streamed=False):
        """The epoch's `Chunk`s of `chunk_size` steps.

        By default a chunk indexes the whole dataset, moved to the device once. With
        `streamed`, each chunk carries only its own rows, gathered on the host (the chunk
        shortened to at most `_CHUNK_BYTES` of them): the compiled program then does not
        depend on the number of samples, so passes over data of any length share it, at the
        cost of sending the rows with every pass.

        With `pad`, a last partial batch is padded to the full batch size (and masked by its
        weights) so that every chunk runs one compiled program; without, it forms a chunk of
        its own with fewer rows. Streamed padded chunks always carry weights, so that data
        with and without a partial batch share the program.
        """
        if streamed:
            row_bytes = sum(a.nbytes // max(len(a), 1)
                            for a in tree.flatten(self.arrays()) if a is not None)
            chunk_size = max(1, min(chunk_size,
                                    _CHUNK_BYTES // max(row_bytes * self.batch_size, 1)))
        if distributed.current() is not None:
            source = self.arrays()  # on the host: each step's batch is sent split over the mesh
        elif streamed:
            source = None
        else:
            if self._device_data is None:  # moved once, reused by every epoch
                self._device_data = backend.trainer.to_device(self.arrays())
            source = self._device_data
        full, last = self.epoch_indices(shuffle, rng)
        full = full[:self.steps]
        if len(full) == self.steps:
            last = None
        weights = None
        if last is not None and pad:
            last_rows, last_weights = padded_batch_rows(last, self.batch_size)
            full = np.concatenate([full, last_rows[None]])
            weights = np.ones(full.shape, "float32")
            weights[-1] = last_weights
            last = None
        elif pad and streamed:
            weights = np.ones(full.shape, "float32")
        for rows, row_weights, count, first in group_steps(full, weights, chunk_size):
            yield self._chunk(source, rows, row_weights, count, first)
        if last is not None:
            yield self._chunk(source, last[None], None, 1, len(full))

    def _chunk(self, source, rows, weights, count, first):
        if source is None:  # streamed: the chunk's own rows, in step order
            flat = rows.reshape(-1)
            if flat[-1] - flat[0] == flat.size - 1 and (np.diff(flat) == 1).all():
                rows_of = slice(int(flat[0]), int(flat[-1]) + 1)  # a view, not a copy
            else:
                rows_of = flat
            source = tuple(None if part is None else tree.map_structure(
                lambda a: None if a is None else a[rows_of], part) for part in self.arrays())
            rows = np.arange(flat.size, dtype="int32").reshape(rows.shape)
        return Chunk(source, rows, weights, count, first)

    def batch_rows(self, pad):
        """The distinct batch sizes of an epoch (see `chunks`)."""
        if pad or self.steps <= self.num_full_batches or not self.remainder:
            return {self.batch_size}
        return {self.batch_size, self.remainder}

    def on_epoch_end(self):
        pass

    def split(self, validation_split):
        """Splits off the last `validation_split` fraction (before shuffling), as Keras does."""
        if not 0 < validation_split < 1:
            raise ValueError(f"validation_split must be in (0, 1). Received: {validation_split}")
        n_train = int(math.floor(self.num_samples * (1 - validation_split)))
        if n_train == 0 or n_train == self.num_samples:
            raise ValueError(
                f"validation_split={validation_split} leaves an empty training or validation set "
                f"for {self.num_samples} samples.")

        def part(structure, sl):
            return None if structure is None else tree.map_structure(
                lambda a: None if a is None else a[sl], structure)

        train = (part(self.x, slice(0, n_train)), part(self.y, slice(0, n_train)),
                 part(self.sample_weight, slice(0, n_train)))
        val = (part(self.x, slice(n_train, None)), part(self.y, slice(n_train, None)),
               part(self.sample_weight, slice(n_train, None)))
        return train, val

    def epoch_indices(self, shuffle, rng):
        """`(full_batches[k, batch_size], last_partial_batch or None)` sample indices.

        `shuffle="batch"` keeps each batch's samples contiguous and shuffles the full batches.
        """
        if shuffle == "batch":
            order = np.arange(self.num_samples)
        elif shuffle:
            order = rng.permutation(self.num_samples)
        else:
            order = np.arange(self.num_samples)
        order = order.astype("int32")
        full = order[: self.num_full_batches * self.batch_size].reshape(
            self.num_full_batches, self.batch_size)
        if shuffle == "batch":
            full = full[rng.permutation(self.num_full_batches)]
        last = order[self.num_full_batches * self.batch_size:] if self.remainder else None
        return full, last

    def arrays(self):
        return self.x, self.y, self.sample_weight


def _apply_class_weight(y, sample_weight, class_weight, caller):
    leaves = [leaf for leaf in tree.flatten(y) if leaf is not None]
    if len(leaves) != 1:
        raise ValueError(f"{caller}: class_weight needs exactly one target array.")
    labels = np.asarray(leaves[0])
    if labels.ndim > 1 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)
    # Float labels round to the nearest class; a class the dict does not name weighs 1, as in
    # Keras.
    labels = np.round(labels.reshape(labels.shape[0], -1)[:, 0]).astype("int64")
    weights = np.asarray([class_weight.get(int(c), 1.0) for c in labels], dtype=config.floatx())
    if sample_weight is not None:
        weights = weights * np.asarray(sample_weight, dtype=config.floatx()).reshape(weights.shape)
    return weights
