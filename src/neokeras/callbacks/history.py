"""`History`: records the logs of every epoch; `fit` returns it."""

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback


@keras_name("keras.callbacks.History")
class History(Callback):
    """`history.history` maps each log name (`loss`, `val_loss`, metrics) to per-epoch values;
    `history.epoch` lists the epoch indices."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
