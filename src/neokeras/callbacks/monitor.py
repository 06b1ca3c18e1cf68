"""The "watch one logged value" logic shared by EarlyStopping, ModelCheckpoint and
ReduceLROnPlateau."""

import warnings

import numpy as np


class Monitor:
    """Tracks the best value of `logs[monitor]`.

    Args:
        monitor: Log name, e.g. `"val_loss"`.
        mode: `"min"`, `"max"`, or `"auto"` (max for accuracy/AUC-like names, else min).
        min_delta: Smallest change that counts as an improvement.
        owner: Name of the callback, for messages.
    """

    def __init__(self, monitor, mode, min_delta, owner):
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max'. Received: {mode!r}")
        if mode == "auto":
            name = monitor.removeprefix("val_")
            mode = "max" if name.startswith(("acc", "auc", "precision", "recall")) or \
                "accuracy" in name or name.endswith(("_acc", "auc")) else "min"
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(float(min_delta))
        self.owner = owner
        self.reset()

    def reset(self):
        self.best = np.inf if self.mode == "min" else -np.inf

    def improves(self, value, reference=None):
        reference = self.best if reference is None else reference
        if self.mode == "min":
            return value < reference - self.min_delta
        return value > reference + self.min_delta

    def value(self, logs):
        """The monitored value, or None (with a warning) when it is not logged."""
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(
                f"{self.owner}: the monitored value '{self.monitor}' is not in the logs "
                f"(available: {sorted(logs or {})}).", stacklevel=3)
            return None
        return float(value)
