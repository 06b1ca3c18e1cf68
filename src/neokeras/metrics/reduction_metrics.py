"""Metrics that reduce values over batches: `Sum`, `Mean`, `MeanMetricWrapper`."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.losses import squeeze_or_expand_to_same_rank
from neokeras.metrics.metric import Metric


def _weighted(values, sample_weight):
    values = ops.convert_to_tensor(values)
    if sample_weight is None:
        return values, ops.ones_like(values)
    sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), values.dtype)
    sample_weight, values = squeeze_or_expand_to_same_rank(sample_weight, values)
    while len(sample_weight.shape) < len(values.shape):
        sample_weight = ops.expand_dims(sample_weight, -1)
    sample_weight = ops.broadcast_to(sample_weight, values.shape)
    return values * sample_weight, sample_weight


@keras_name("keras.metrics.Sum")
class Sum(Metric):
    """The (weighted) sum of all values seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), name="total")

    def update_state(self, values, sample_weight=None):
        weighted, _ = _weighted(ops.cast(values, self.dtype), sample_weight)
        self.total.assign(self.total.value + ops.sum(weighted))

    def result(self):
        return self.total.value


@keras_name("keras.metrics.Mean")
class Mean(Metric):
    """The (weighted) mean of all values seen: `sum(w * v) / sum(w)` over every batch."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), name="total")
        self.count = self.add_variable((), name="count")

    def update_state(self, values, sample_weight=None):
        values = ops.cast(values, self.dtype)
        if sample_weight is not None and len(ops.convert_to_tensor(sample_weight).shape) == 0 \
                and len(values.shape) == 0:
            # A scalar value with a scalar weight (e.g. a batch loss weighted by batch size).
            self.total.assign(self.total.value + values * sample_weight)
            self.count.assign(self.count.value + ops.cast(sample_weight, self.dtype))
            return
        weighted, weights = _weighted(values, sample_weight)
        self.total.assign(self.total.value + ops.sum(weighted))
        self.count.assign(self.count.value + ops.sum(weights))

    def result(self):
        return ops.divide(self.total.value, ops.maximum(self.count.value, 1e-12))


@keras_name("keras.metrics.MeanMetricWrapper")
class MeanMetricWrapper(Mean):
    """The mean over all samples of `fn(y_true, y_pred, **kwargs)`.

    Args:
        fn: Function returning one value per sample.
        name: Name in logs.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        config = {**super().get_config(), **self._fn_kwargs}
        if type(self) is MeanMetricWrapper:
            config["fn"] = serialize_keras_object(self._fn)
        return config

    @classmethod
    def from_config(cls, config):
        if cls is MeanMetricWrapper:
            from neokeras.saving.serialization import deserialize_keras_object

            config = dict(config)
            config["fn"] = deserialize_keras_object(config["fn"])
        return cls(**config)
