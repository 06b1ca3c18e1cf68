"""The "watch one logged value" logic shared by EarlyStopping, ModelCheckpoint,
ReduceLROnPlateau and OrbaxCheckpoint."""

import warnings


class Monitor:
    """Tracks the best value of `logs[monitor]`.

    Args:
        monitor: Log name, e.g. `"val_loss"`.
        mode: `"min"`, `"max"`, or `"auto"`: decided when first needed (see `resolve`).
            An unknown mode warns and means `"auto"`, as in Keras.
        min_delta: Smallest change that counts as an improvement.
        owner: Name of the callback, for messages.
    """

    def __init__(self, monitor, mode, min_delta, owner):
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{owner} mode '{mode}' is unknown, fallback to auto mode.",
                          stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.requested_mode = mode
        self.mode = None if mode == "auto" else mode
        self.min_delta = abs(float(min_delta))
        self.owner = owner
        self.best = None

    def reset(self):
        self.best = None

    def resolve(self, model):
        """Fixes the direction of `"auto"` mode once the model's metrics are built.

        As in Keras 3: `loss` is minimized; a metric of the model named like the monitored
        value decides by its `_direction` (`"up"` or `"down"`). A name that no metric object
        decides (Keras 3 raises there) falls back to Keras 2's rule: accuracy/AUC-like
        names are maximized, everything else minimized.
        """
        if self.mode is not None:
            return
        name = self.monitor.removeprefix("val_")
        direction = "down" if name == "loss" else None
        for metric in getattr(model, "metrics", None) or ():
            if getattr(metric, "name", None) == name and getattr(metric, "_direction", None):
                direction = metric._direction
        if direction is None:
            direction = "up" if name.startswith(("acc", "auc", "precision", "recall")) or \
                "accuracy" in name or name.endswith(("_acc", "auc")) else "down"
        self.mode = "max" if direction == "up" else "min"

    def improves(self, value, reference=None):
        """Whether `value` beats `reference` (default: the best so far; None always loses)."""
        reference = self.best if reference is None else reference
        if reference is None:
            return True
        if self.mode is None:
            raise RuntimeError(f"{self.owner}: the monitor direction is not resolved yet.")
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
