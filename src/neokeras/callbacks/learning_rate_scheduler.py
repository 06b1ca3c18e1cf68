"""`LearningRateScheduler`: sets the learning rate at the start of every epoch."""

import inspect

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback


@keras_name("keras.callbacks.LearningRateScheduler")
class LearningRateScheduler(Callback):
    """Sets `optimizer.learning_rate = schedule(epoch, lr)` (or `schedule(epoch)`) each epoch.

    Args:
        schedule: Function of the epoch index (0-based) and, optionally, the current rate.
        verbose: 1 prints the new rate.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: schedule must be callable. "
                            f"Received: {schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def _takes_lr(self):
        try:
            parameters = inspect.signature(self.schedule).parameters.values()
        except (TypeError, ValueError):
            return True
        positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY,
                                                          p.POSITIONAL_OR_KEYWORD)]
        return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if self._takes_lr():
            lr = self.schedule(epoch, float(optimizer.learning_rate))
        else:
            lr = self.schedule(epoch)
        try:
            lr = float(lr)
        except (TypeError, ValueError):
            raise ValueError("LearningRateScheduler: schedule must return a float. "
                             f"Received: {lr!r}") from None
        optimizer.learning_rate = lr
        if self.verbose:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
