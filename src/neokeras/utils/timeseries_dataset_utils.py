"""`timeseries_dataset_from_array`: sliding windows over an array as a batched dataset."""

import numpy as np

from neokeras.utils.batch_dataset import BatchDataset

_CALLER = "timeseries_dataset_from_array"


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None, format="tf"):
    """Builds a dataset of windows `data[i : i + sequence_length * sampling_rate : sampling_rate]`.

    Window starts are `start_index + k * sequence_stride`; the target of the window starting
    at `j` is `targets[j]`. Windows (and the shuffle of their order) are those of Keras.

    Args:
        data: Array (or array-like) of timesteps along the first axis.
        targets: Array of targets aligned with `data`, or None.
        sequence_length: Timesteps per window.
        sequence_stride: Distance between window starts.
        sampling_rate: Distance between timesteps of a window.
        batch_size: Windows per batch; None yields single windows.
        shuffle: Shuffle the windows (seeded by `seed`).
        seed: Seed of the shuffle.
        start_index: First timestep used.
        end_index: Timestep after the last one used.
        format: `"tf"` or `"grain"`, accepted for compatibility.
    """
    data = np.asarray(data)
    n = len(data)
    if start_index:
        if start_index < 0 or start_index >= n:
            raise ValueError(f"{_CALLER}: start_index must be in [0, {n}) for data of length "
                             f"{n}. Received: start_index={start_index}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(f"{_CALLER}: end_index must be higher than start_index. Received: "
                             f"start_index={start_index}, end_index={end_index}")
        if end_index >= n or end_index <= 0:
            raise ValueError(f"{_CALLER}: end_index must be in (0, {n}) for data of length {n}. "
                             f"Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0 or value >= n:
            raise ValueError(f"{_CALLER}: {name} must be in (0, {n}) for data of length {n}. "
                             f"Received: {name}={value}")
    if format not in ("tf", "grain"):
        raise ValueError(f"{_CALLER}: format must be 'tf' or 'grain'. Received: {format!r}")
    if targets is not None:
        targets = np.asarray(targets)
    start = start_index or 0
    end = end_index or n
    num_seqs = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    starts = np.arange(0, max(num_seqs, 0), sequence_stride)
    if seed is None:
        seed = np.random.randint(1e6)
    if shuffle:
        np.random.RandomState(seed).shuffle(starts)
    window = np.arange(0, sequence_length * sampling_rate, sampling_rate)
    segment = data[start:end]
    target_segment = None if targets is None else targets[start:end]

    def sample(i):
        position = starts[i]
        x = segment[position + window]
        return x if target_segment is None else (x, target_segment[position])

    return BatchDataset(len(starts), sample, batch_size, shuffle, seed, workers=1)
