"""`StepsPerExecutionTuner` (tf-keras): tunes a steps-per-execution variable from the measured
training throughput, in a background thread."""

import logging
import threading
import time

import numpy as np

_LOG = logging.getLogger("neokeras")


class StepsPerExecutionTuner:
    """Measures steps per second every `interval` seconds and, every `change_spe_interval`
    measurements, scales `spe_variable`: by 1.5 (or 0.5) to repeat the last change when the
    average throughput rose by more than `change_threshold`, the other way when it fell by
    more, not at all otherwise (tf-keras's algorithm).

    For custom loops that read the variable each time they dispatch several steps.

    Args:
        optimizer: The optimizer whose `iterations` count the steps.
        spe_variable: An integer variable (`keras.Variable`) holding the steps per execution;
            it is changed with `assign`.
        interval: Seconds between measurements (default 5).
        change_spe_interval: Measurements between changes (default 10).
        change_threshold: Relative throughput change that triggers a change (default 0.1).

    Example:

    >>> spe = keras.Variable(1, dtype="int64", trainable=False)
    >>> tuner = keras.utils.StepsPerExecutionTuner(optimizer, spe)
    >>> tuner.start()
    >>> ...  # a loop running int(spe.numpy()) steps per dispatch
    >>> tuner.stop()
    """

    def __init__(self, optimizer, spe_variable, interval=5, change_spe_interval=10,
                 change_threshold=0.1):
        self.optimizer = optimizer
        self._steps_per_execution = spe_variable
        self.interval = interval
        self.change_spe_interval = change_spe_interval
        self.spe_change_threshold = change_threshold
        self.steps_per_execution_stop_event = threading.Event()
        self.thread = None

    def start(self):
        """Starts the tuning thread (or returns the running one)."""
        if self.thread and self.thread.is_alive():
            return self.thread
        self._begin_tuning()
        self.thread = threading.Thread(target=self._steps_per_execution_interval_call,
                                       daemon=True)
        self.thread.start()
        return self.thread

    def stop(self):
        """Stops the tuning thread."""
        self.steps_per_execution_stop_event.set()

    @property
    def steps_per_execution(self):
        """The tuned variable; setting it also makes the value the one to fall back to."""
        return self._steps_per_execution

    @steps_per_execution.setter
    def steps_per_execution(self, value):
        self._steps_per_execution.assign(value)
        self.init_spe = value

    def _steps_per_execution_interval_call(self):
        while not self.steps_per_execution_stop_event.is_set():
            self._measure_and_tune()
            self.steps_per_execution_stop_event.wait(self.interval)

    def _iterations(self):
        return int(np.asarray(_numpy(self.optimizer.iterations)))

    def _current(self):
        return int(np.asarray(_numpy(self._steps_per_execution)).item())

    def _begin_tuning(self):
        self.start_time = time.time()
        self.init_iterations = self._iterations()
        self.init_spe = self._current()
        self.spe_last_logged = {"iteration": self.init_iterations, "time_secs": self.start_time}
        self.rgsps = []  # recent global steps per second
        self.avg_rgsps = 0
        self.prev_avg_rgsps = 0
        self.spe_tune_last_action_add = True
        self.spe_measurement_count = 0

    def _should_tune(self):
        epoch_boundary = self.rgsps[-1] == 0
        return (self.spe_measurement_count % self.change_spe_interval == 0 and self.rgsps
                and not epoch_boundary)

    def _tune(self):
        self.avg_rgsps = sum(self.rgsps) / len(self.rgsps)
        fast = (1 + self.spe_change_threshold) * self.prev_avg_rgsps
        slow = (1 - self.spe_change_threshold) * self.prev_avg_rgsps
        repeat, opposite = (1.5, 0.5) if self.spe_tune_last_action_add else (0.5, 1.5)
        current = self._current()
        limit = np.iinfo(np.dtype(_dtype(self._steps_per_execution))).max / 1.5
        if self.avg_rgsps > fast:
            new = current * repeat
        elif self.avg_rgsps < slow:
            new = current * opposite
            self.spe_tune_last_action_add = not self.spe_tune_last_action_add
        else:
            new = current
        if current >= limit:
            new = current
        elif current <= 0:
            new = self.init_spe
        self._steps_per_execution.assign(np.round(new).astype(_dtype(self._steps_per_execution)))
        self.prev_avg_rgsps = self.avg_rgsps

    def _measure_and_tune(self):
        self.spe_measurement_count += 1
        iterations = self._iterations()
        now = time.time()
        elapsed = now - self.spe_last_logged["time_secs"]
        self.rgsps.append((iterations - self.spe_last_logged["iteration"]) / elapsed
                          if elapsed > 0 else 0.0)
        if len(self.rgsps) > self.change_spe_interval:
            self.rgsps.pop(0)
        if iterations == 0:  # nothing measured yet
            self.start_time = now
            return
        self.spe_last_logged = {"iteration": iterations, "time_secs": now}
        try:
            if self._should_tune():
                self._tune()
        except RuntimeError:
            _LOG.exception("Steps per execution autotuner failed to run.")


def _numpy(value):
    return value.numpy() if hasattr(value, "numpy") else value


def _dtype(variable):
    dtype = getattr(variable, "dtype", "int64")
    return getattr(dtype, "as_numpy_dtype", dtype)
