"""`EarlyStopping`: stops `fit` when a monitored value stops improving."""

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback
from neokeras.callbacks.monitor import Monitor


@keras_name("keras.callbacks.EarlyStopping")
class EarlyStopping(Callback):
    """Stops training when `monitor` has not improved for `patience` epochs.

    Args:
        monitor: Log name to watch (default `"val_loss"`).
        min_delta: Smallest change that counts as an improvement.
        patience: Epochs without improvement before stopping.
        verbose: 1 prints a message when stopping.
        mode: `"auto"` (the monitored metric's direction, else its name), `"min"` or `"max"`.
        baseline: The value must improve on this (else training stops after `patience`).
        restore_best_weights: When stopping, or at the end of training, restore the weights of
            the best epoch.
        start_from_epoch: Epochs of warm-up before improvement is watched.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        self._monitor = Monitor(monitor, mode, min_delta, "EarlyStopping")
        self.monitor = monitor
        self.patience = int(patience)
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = int(start_from_epoch)
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0

    @property
    def best(self):
        return self._monitor.best

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best_weights = None
        self.best_epoch = 0
        self._monitor.reset()

    def on_epoch_end(self, epoch, logs=None):
        self._monitor.resolve(self.model)
        value = self._monitor.value(logs)
        if value is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._monitor.improves(value):
            self._monitor.best = value
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
            if self.baseline is None or self._monitor.improves(value, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)
