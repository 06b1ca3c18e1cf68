"""`TimeseriesGenerator` (Keras 2): batches of past windows and the next target, as a Sequence."""

import json

import numpy as np

from neokeras.utils.py_dataset import PyDataset


class TimeseriesGenerator(PyDataset):
    """Batches `(data[row - length : row : sampling_rate], targets[row])` for successive rows.

    Args:
        data: Indexable array of timesteps (first axis is time).
        targets: Targets aligned with `data` (same length).
        length: Timesteps of history in each sample.
        sampling_rate: Step between timesteps of a sample.
        stride: Step between the rows of successive samples.
        start_index: First timestep that may start a history.
        end_index: Last row used as target (`len(data) - 1` when None).
        shuffle: Draw the rows of each batch at random (with `np.random`).
        reverse: Reverse the time order of each sample.
        batch_size: Samples per batch.
    """

    def __init__(self, data, targets, length, sampling_rate=1, stride=1, start_index=0,
                 end_index=None, shuffle=False, reverse=False, batch_size=128):
        super().__init__()
        if len(data) != len(targets):
            raise ValueError("TimeseriesGenerator: data and targets must have the same length. "
                             f"Received lengths {len(data)} and {len(targets)}.")
        self.data, self.targets = data, targets
        self.length, self.sampling_rate, self.stride = length, sampling_rate, stride
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle, self.reverse, self.batch_size = shuffle, reverse, batch_size
        if self.start_index > self.end_index:
            raise ValueError(
                f"TimeseriesGenerator: start_index + length = {self.start_index} > end_index = "
                f"{self.end_index}: no timestep is left to be a target.")

    def __len__(self):
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index):
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            first = self.start_index + self.batch_size * self.stride * index
            rows = np.arange(first, min(first + self.batch_size * self.stride,
                                        self.end_index + 1), self.stride)
        samples = np.array([self.data[row - self.length:row:self.sampling_rate] for row in rows])
        targets = np.array([self.targets[row] for row in rows])
        return (samples[:, ::-1, ...] if self.reverse else samples), targets

    def get_config(self):
        def to_json(value, what):
            if isinstance(value, np.ndarray):
                value = value.tolist()
            try:
                return json.dumps(value)
            except TypeError as e:
                raise TypeError(f"TimeseriesGenerator: {what} are not JSON serializable.") from e

        return {"data": to_json(self.data, "data"), "targets": to_json(self.targets, "targets"),
                "length": self.length, "sampling_rate": self.sampling_rate,
                "stride": self.stride, "start_index": self.start_index,
                "end_index": self.end_index, "shuffle": self.shuffle, "reverse": self.reverse,
                "batch_size": self.batch_size}

    def to_json(self, **kwargs):
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)
