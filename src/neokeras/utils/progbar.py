"""A Keras-style progress bar that adapts to terminals, notebooks and plain files."""

import sys
import time

from neokeras.utils import io_utils


def _is_interactive(stream):
    if "ipykernel" in sys.modules:
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _format_value(value):
    value = float(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.4e}"
    return f"{value:.4f}"


def _format_time(seconds):
    if seconds >= 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


def _format_per_step(seconds):
    if seconds >= 1:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


class Progbar:
    """Displays progress of `target` steps.

    Args:
        target: Total number of steps, or None if unknown.
        width: Bar width in characters.
        verbose: 1 for the live bar (one line per epoch when not on a terminal), 2 for a
            single summary line at the end, 0 for nothing.
        interval: Minimum seconds between two live updates (default 0.1, i.e. at most ten
            refreshes per second).
        stream: Where to write (default `sys.stdout`).
    """

    def __init__(self, target, width=20, verbose=1, interval=0.1, stream=None, unit_name="step"):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self._to_stdout = stream is None
        self.stream = stream or sys.stdout
        self.unit_name = unit_name
        self.interactive = _is_interactive(self.stream)
        self._start = time.perf_counter()
        self._last_update = 0.0
        self._last_length = 0
        self._values = {}
        self.seen = 0

    def update(self, current, values=None, finalize=None):
        """Shows `current` steps done with the latest `values` (a dict or list of pairs)."""
        if values:
            self._values.update(dict(values) if not isinstance(values, dict) else values)
        self.seen = current
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if self.verbose == 0:
            return
        now = time.perf_counter()
        if not finalize and (not self.interactive or self.verbose != 1
                             or now - self._last_update < self.interval):
            return
        self._last_update = now
        elapsed = now - self._start
        per_step = elapsed / current if current else 0.0
        if self._to_stdout and not io_utils.is_interactive_logging_enabled():
            if finalize:
                io_utils.print_msg(self._summary_line(current, elapsed, per_step))
            return
        if self.verbose == 1 and self.interactive:
            line = self._bar_line(current, elapsed, per_step, finalize)
            padding = max(self._last_length - len(line), 0)
            self.stream.write("\r" + line + " " * padding)
            self._last_length = len(line)
            if finalize:
                self.stream.write("\n")
        elif finalize:
            self.stream.write(self._summary_line(current, elapsed, per_step) + "\n")
        self.stream.flush()

    def add(self, n, values=None):
        self.update(self.seen + n, values)

    def _metrics_text(self):
        return "".join(f" - {k}: {_format_value(v)}" for k, v in sorted(self._values.items()))

    def _bar_line(self, current, elapsed, per_step, finalize):
        if self.target:
            digits = len(str(self.target))
            done = int(self.width * min(current / self.target, 1.0))
            bar = "━" * done + "─" * (self.width - done)
            head = f"{current:>{digits}}/{self.target} {bar}"
        else:
            head = f"{current:>7}/Unknown"
        if finalize or not self.target:
            timing = f"{_format_time(elapsed)} {_format_per_step(per_step)}"
        else:
            timing = f"{_format_time(per_step * (self.target - current))} {_format_per_step(per_step)}"
        return f"{head} {timing}{self._metrics_text()}"

    def _summary_line(self, current, elapsed, per_step):
        total = self.target or current
        return (f"{current}/{total} - {_format_time(elapsed)} - "
                f"{_format_per_step(per_step)}{self._metrics_text()}")
