"""`BaseLogger`: tf-keras's accumulator of epoch averages of batch logs."""

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback


@keras_name("keras.callbacks.BaseLogger")
class BaseLogger(Callback):
    """Averages batch logs over an epoch, weighted by the batch size, as tf-keras's does.

    Each batch's logs must hold its size under `"size"` (and, optionally, the number of steps
    it stands for under `"num_steps"`); at the end of the epoch, every name listed in
    `self.params["metrics"]` is written into the epoch logs: the weighted average, or the
    last value for `stateful_metrics`. As in tf-keras 2.21, `fit` gives callbacks neither
    (its batch logs have no size and its params no metric list), so within `fit` the epoch
    end raises `KeyError: 'metrics'`; it serves loops that call the hooks themselves.

    Args:
        stateful_metrics: Names logged as-is (their last value) rather than averaged.
    """

    def __init__(self, stateful_metrics=None):
        super().__init__()
        self.stateful_metrics = set(stateful_metrics or [])

    def on_epoch_begin(self, epoch, logs=None):
        self.seen = 0
        self.totals = {}

    def on_batch_end(self, batch, logs=None):
        logs = logs or {}
        size = logs.get("size", 0)
        self.seen += size * logs.get("num_steps", 1)
        for name, value in logs.items():
            if name in self.stateful_metrics:
                self.totals[name] = value
            else:
                self.totals[name] = self.totals.get(name, 0) + value * size

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        for name in self.params["metrics"]:
            if name in self.totals:
                logs[name] = self.totals[name] if name in self.stateful_metrics \
                    else self.totals[name] / self.seen
