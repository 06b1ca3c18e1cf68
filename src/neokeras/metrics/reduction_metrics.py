"""Metrics that reduce values over batches: `Sum`, `Mean`, `MeanMetricWrapper`."""

import inspect

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.losses import squeeze_or_expand_to_same_rank
from neokeras.metrics.metric import Metric


def reduce_to_samplewise(values, sample_weight, reduce_fn, dtype):
    """Reduces `values` to the rank of `sample_weight` (or to one value per sample) and weights
    them; returns `(weighted_values, sample_weight)`, the weight reduced to one per sample."""
    values = ops.cast(ops.convert_to_tensor(values), dtype)
    if sample_weight is not None:
        sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        weight_rank, value_rank = len(sample_weight.shape), len(values.shape)
        if value_rank > weight_rank:
            values = reduce_fn(values, axis=tuple(range(weight_rank, value_rank)))
        sample_weight = ops.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if weight_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, weight_rank)))
    if len(values.shape) > 1:
        values = reduce_fn(values, axis=tuple(range(1, len(values.shape))))
    return values, sample_weight


@keras_name("keras.metrics.Sum")
class Sum(Metric):
    """The (weighted) sum of all values seen.

    Args:
        name: Name in logs.
        dtype: Dtype of the state.
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise(values, sample_weight, ops.sum, self.dtype)
        self.total.assign(self.total.value + ops.sum(values))

    def result(self):
        return self.total.value


@keras_name("keras.metrics.Mean")
class Mean(Metric):
    """The (weighted) mean of all values seen: `sum(w * v) / sum(w)` over every batch.

    Values with more axes than the weights are first averaged per sample.

    Args:
        name: Name in logs.
        dtype: Dtype of the state.
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), name="total")
        self.count = self.add_variable((), name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = reduce_to_samplewise(values, sample_weight, ops.mean, self.dtype)
        self.total.assign(self.total.value + ops.sum(values))
        if sample_weight is not None:
            count = ops.sum(sample_weight)
        else:
            count = values.shape[0] if len(values.shape) else 1
        self.count.assign(self.count.value + ops.cast(count, self.dtype))

    def result(self):
        count = self.count.value
        safe = ops.where(ops.equal(count, 0), ops.ones_like(count), count)
        return ops.where(ops.equal(count, 0), ops.zeros_like(count), self.total.value / safe)


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
        if getattr(type(self), "_direction", None) is None and _is_builtin_loss(fn):
            self._direction = "down"  # a wrapped Keras loss is minimized (auto-mode callbacks)

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


@keras_name("keras.metrics.MeanTensor")
class MeanTensor(Metric):
    """tf-keras's element-wise (weighted) mean of tensors of one fixed shape.

    The state (`total`, `count`) takes the shape of the first values unless `shape` is given;
    `result()` is `total / count` element-wise (0 where the count is 0).

    Args:
        name: Name in logs.
        dtype: Dtype of the state and result.
        shape: The shape of the values, to create the state at once.

    Example:

    >>> m = keras.metrics.MeanTensor()
    >>> m.update_state([0, 1, 2, 3])
    >>> m.update_state([4, 5, 6, 7])
    >>> m.result()  # [2., 3., 4., 5.]
    """

    def __init__(self, name="mean_tensor", dtype=None, shape=None):
        super().__init__(name=name, dtype=dtype)
        self._shape = None
        self._total = self._count = None
        self.built = False
        if shape is not None:
            self._build(shape)

    def _build(self, shape):
        from neokeras.backend.common.stateless_scope import current_stateless_scope

        if current_stateless_scope() is not None:
            raise RuntimeError(f"MeanTensor '{self.name}' creates its state from the shape of "
                               "the first values; give `shape=` or update it once eagerly "
                               "before using it in a compiled step.")
        self._shape = tuple(int(d) for d in shape)
        self._total = self.add_variable(self._shape, name="total")
        self._count = self.add_variable(self._shape, name="count")
        self.built = True

    @property
    def total(self):
        return self._total

    @property
    def count(self):
        return self._count

    def update_state(self, values, sample_weight=None):
        values = ops.cast(ops.convert_to_tensor(values), self.dtype)
        if not self.built:
            self._build(values.shape)
        elif tuple(values.shape) != self._shape:
            raise ValueError(
                "MeanTensor input values must always have the same shape. Expected shape (set "
                f"during the first call): {self._shape}. Got: {tuple(values.shape)}.")
        counts = ops.ones_like(values)
        if sample_weight is not None:
            weight = ops.cast(ops.convert_to_tensor(sample_weight), self.dtype)
            # As tf-keras: weights with one axis less get a trailing axis, one axis more lose it.
            if len(weight.shape) == len(values.shape) - 1:
                weight = ops.expand_dims(weight, -1)
            elif len(weight.shape) == len(values.shape) + 1 and weight.shape[-1] == 1:
                weight = ops.squeeze(weight, axis=-1)
            try:
                weight = ops.broadcast_to(weight, values.shape)
            except ValueError:
                raise ValueError(
                    f"MeanTensor '{self.name}': sample_weight of shape {tuple(weight.shape)} "
                    f"does not broadcast to the values' shape {self._shape}.") from None
            counts = counts * weight
            values = values * weight
        self._total.assign(self._total.value + values)
        self._count.assign(self._count.value + counts)

    def result(self):
        if not self.built:
            raise ValueError("MeanTensor does not have any value yet. Please call the "
                             "MeanTensor instance or use `.update_state(value)` before "
                             "retrieving the result.")
        return ops.divide_no_nan(self._total.value, self._count.value)

    def __call__(self, values, sample_weight=None):
        if not self.built:
            self._build(ops.convert_to_tensor(values).shape)
        return super().__call__(values, sample_weight=sample_weight)


def _is_builtin_loss(fn):
    module = fn.__module__ if inspect.isfunction(fn) else type(fn).__module__
    return (module or "").startswith("neokeras.losses")
