"""`Chunk`: the one unit of work every data adapter hands the epoch loop.

A chunk is a few steps over a data source: step `i` uses the rows `indices[i]` of `data`
(`(x, y, sample_weight)`, samples on the first axis) and, when the batch was padded to the
full batch size, `weights[i]` (1 for a real row, 0 for a padding row). Rows of `indices` past
`num_steps` only pad the chunk to its fixed length and are skipped. Array data keeps the whole
dataset on the device and varies the indices; a generator's batch is its own data source.
"""

from typing import Any
from typing import NamedTuple

import numpy as np


class Chunk(NamedTuple):
    data: Any
    indices: np.ndarray
    weights: Any
    num_steps: int
    first_step: int


def padded_batch_rows(rows, batch_size):
    """`(indices, weights)` of a batch of `rows` real rows padded to `batch_size` rows by
    repeating real rows, which the zero weights then mask out (real rows keep losses, batch
    statistics and random draws on real data)."""
    count = len(rows)
    indices = np.resize(np.asarray(rows, dtype="int32"), batch_size)
    weights = (np.arange(batch_size) < count).astype("float32")
    return indices, weights


def group_steps(indices, weights, chunk_size, first_step=0):
    """Splits per-step `indices[steps, batch]` (and `weights`) into `(indices, weights,
    num_steps, first_step)` groups of `chunk_size` steps; the last group is padded by
    repeating its first step, which the chunk function skips."""
    for start in range(0, len(indices), chunk_size):
        rows = indices[start:start + chunk_size]
        row_weights = None if weights is None else weights[start:start + chunk_size]
        count = len(rows)
        if count < chunk_size:
            fill = chunk_size - count
            rows = np.concatenate([rows, np.repeat(rows[:1], fill, axis=0)])
            if row_weights is not None:
                row_weights = np.concatenate([row_weights, np.repeat(row_weights[:1], fill, 0)])
        yield rows, row_weights, count, first_step + start
