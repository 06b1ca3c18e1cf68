"""`PyMetric` (tf-keras's `keras.metrics.experimental.PyMetric`): a metric written in plain
Python whose state lives on the host, updated from compiled steps through host callbacks."""

import functools

import numpy as np

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.metrics.metric import Metric


@keras_name("keras.metrics.experimental.PyMetric")
class PyMetric(Metric):
    """Base class of metrics computed in Python on the host (e.g. with scikit-learn).

    Subclasses implement `update_state(y_true, y_pred, sample_weight=None)`, `reset_state()`
    (also called by `__init__` to create the Python state) and `result()` (one scalar). The
    arguments of `update_state` are numpy arrays; inside `fit`/`evaluate` both methods run on
    the host, in step order, through a host callback, so they are slower than in-graph metrics.
    `compile` never pads batches for a model with such a metric, so it sees exactly the rows
    of each batch (and `sample_weight=None` unless it is a weighted metric).

    Args:
        name: Name in logs.
        dtype: Dtype of the result.

    Example:

    >>> class MeanAbsoluteErrorOnHost(keras.metrics.experimental.PyMetric):
    ...     def update_state(self, y_true, y_pred, sample_weight=None):
    ...         self.total += float(np.abs(y_true - y_pred).sum())
    ...         self.count += y_true.size
    ...     def reset_state(self):
    ...         self.total, self.count = 0.0, 0
    ...     def result(self):
    ...         return self.total / max(self.count, 1)
    """

    # Read by `compile` (see `CompileMetrics.reduces_batch`): padding rows cannot be masked out
    # of arbitrary Python.
    _host_metric = True

    def __init__(self, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reset_state()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        if "update_state" in own:
            cls.update_state = _on_host_update(own["update_state"])
        if "result" in own:
            cls.result = _on_host_result(own["result"])

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Updates the state with one batch and returns the result over everything seen."""
        self.update_state(y_true, y_pred, sample_weight=sample_weight)
        return self.result()

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulates one batch (numpy arrays), on the host."""
        raise NotImplementedError("Subclasses should implement `update_state`")

    def merge_state(self, metrics):
        """Merges the state of other instances; subclasses that support it implement it."""
        raise NotImplementedError("Subclasses should implement `merge_state`")

    def reset_state(self):
        """Resets the Python state (called at `__init__` and between epochs)."""
        raise NotImplementedError("Subclasses should implement `reset_state`")

    def result(self):
        """The metric value, one scalar, computed on the host."""
        raise NotImplementedError("Subclasses should implement `result`")


def _to_host(value):
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: _to_host(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_host(v) for v in value)
    return np.asarray(value)


def _traced(value):
    if isinstance(value, dict):
        return any(_traced(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_traced(v) for v in value)
    return value is not None and backend.is_tracer(value)


def _on_host_update(update_state):
    @functools.wraps(update_state)
    def wrapper(self, y_true, y_pred, sample_weight=None):
        if not _traced((y_true, y_pred, sample_weight)):
            return update_state(self, _to_host(y_true), _to_host(y_pred), _to_host(sample_weight))

        def on_host(y_true, y_pred, sample_weight):
            update_state(self, _to_host(y_true), _to_host(y_pred), _to_host(sample_weight))

        backend.call_on_host(on_host, None, y_true, y_pred, sample_weight)

    return wrapper


def _on_host_result(result):
    @functools.wraps(result)
    def wrapper(self):
        if backend.in_tracing_scope():
            return backend.call_on_host(
                lambda: np.asarray(result(self), dtype=self.dtype), ((), self.dtype))
        return ops.convert_to_tensor(np.asarray(result(self), dtype=self.dtype))

    return wrapper
