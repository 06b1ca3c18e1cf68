"""`ModelCheckpoint`: saves the model or its weights during training."""

import os
import re

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback
from neokeras.callbacks.monitor import Monitor


_WEIGHTS_SUFFIXES = (".weights.h5", ".h5", ".hdf5")
_MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")


@keras_name("keras.callbacks.ModelCheckpoint")
class ModelCheckpoint(Callback):
    """Saves the model or its weights every epoch or every few batches.

    The suffix picks the format, as in Keras 2: with `save_weights_only`, `.weights.h5` writes
    the Keras 3 weights layout and `.h5` / `.hdf5` the Keras 2 one; otherwise `.keras` writes a
    Keras 3 archive and `.h5` / `.hdf5` a legacy Keras 2 model file.

    Args:
        filepath: Path, may hold `str.format` fields filled from the epoch (1-based), the batch
            (1-based, with an int `save_freq`) and the logs, e.g.
            `"w.{epoch:02d}-{val_loss:.2f}.weights.h5"`.
        monitor: Log name compared when `save_best_only`.
        verbose: 1 prints a line per save.
        save_best_only: Save only when `monitor` improved.
        save_weights_only: Save with `model.save_weights` instead of `model.save`.
        mode: `"auto"` (the monitored metric's direction, else its name), `"min"` or `"max"`.
        save_freq: `"epoch"`, or an int: save after every this many batches (counted across
            epochs).
        initial_value_threshold: Initial best value for `save_best_only`.
        period: Keras 2 argument: with `save_freq="epoch"`, save every this many epochs.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None, **kwargs):
        super().__init__()
        period = kwargs.pop("period", 1)
        if kwargs.pop("options", None) is not None:
            raise ValueError("ModelCheckpoint: `options` (TensorFlow checkpoint options) has no "
                             "meaning here; remove it.")
        if kwargs:
            raise TypeError(f"ModelCheckpoint got unexpected keyword argument(s) {sorted(kwargs)}.")
        filepath = os.fspath(filepath)
        suffixes = _WEIGHTS_SUFFIXES if save_weights_only else _MODEL_SUFFIXES
        if not filepath.endswith(suffixes):
            raise ValueError(
                f"ModelCheckpoint: with save_weights_only={save_weights_only} the filepath must "
                f"end in one of {list(suffixes)} (the suffix picks the format; TensorFlow "
                f"checkpoints and SavedModel directories are not written). "
                f"Received: filepath={filepath!r}")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                     or save_freq <= 0):
            raise ValueError("ModelCheckpoint: save_freq must be 'epoch' or a positive int. "
                             f"Received: {save_freq!r}")
        if isinstance(period, bool) or not isinstance(period, int) or period <= 0:
            raise ValueError(f"ModelCheckpoint: period must be a positive int. Received: {period!r}")
        self.period = period
        self.filepath = filepath
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._monitor = Monitor(monitor, mode, 0, "ModelCheckpoint")
        self._initial_best = initial_value_threshold
        if initial_value_threshold is not None:
            self._monitor.best = float(initial_value_threshold)
        self._batches_seen = 0
        self._epoch = 0

    @property
    def best(self):
        return self._monitor.best

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save(self._epoch, batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch" and (epoch + 1) % self.period == 0:
            self._save(epoch, None, logs)

    def overrides(self, *hook_names):
        # Saving per epoch must not force the per-batch (unfused) loop.
        if self.save_freq == "epoch":
            hook_names = [n for n in hook_names if n not in ("on_train_batch_end", "on_batch_end")]
        return super().overrides(*hook_names)

    def _save(self, epoch, batch, logs):
        logs = dict(logs or {})
        if self.save_best_only:
            self._monitor.resolve(self.model)
            value = self._monitor.value(logs)
            if value is None or not self._monitor.improves(value):
                if self.verbose and value is not None:
                    print(f"Epoch {epoch + 1}: {self.monitor} did not improve from "
                          f"{_format_best(self._monitor.best)}")
                return
            if self.verbose:
                print(f"Epoch {epoch + 1}: {self.monitor} improved from "
                      f"{_format_best(self._monitor.best)} "
                      f"to {value:.5f}, saving model")
            self._monitor.best = value
        path = self._format_path(epoch, batch, logs)
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.verbose and not self.save_best_only:
            print(f"Epoch {epoch + 1}: saving model to {path}")
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)

    def _format_path(self, epoch, batch, logs):
        fields = {k: float(v) for k, v in logs.items()}
        fields["epoch"] = epoch + 1
        if batch is not None:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as error:
            names = re.findall(r"{(\w+)", self.filepath)
            raise KeyError(
                f"ModelCheckpoint: filepath {self.filepath!r} names {error} which is not in the "
                f"logs of this epoch (fields in the path: {names}; available: "
                f"{sorted(fields)}).") from None


def _format_best(best):
    return "None" if best is None else f"{best:.5f}"
