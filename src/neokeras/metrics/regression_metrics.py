"""Regression metrics as stateful objects."""

from neokeras import losses
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.losses import squeeze_or_expand_to_same_rank
from neokeras.metrics.metric import Metric
from neokeras.metrics.reduction_metrics import Mean
from neokeras.metrics.reduction_metrics import MeanMetricWrapper


@keras_name("keras.metrics.cosine_similarity")
def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine similarity along `axis` (1 for parallel vectors; the loss is its negative)."""
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


@keras_name("keras.metrics.MeanSquaredError")
class MeanSquaredError(MeanMetricWrapper):
    """Mean of squared errors over all samples."""

    _direction = "down"

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


@keras_name("keras.metrics.MeanAbsoluteError")
class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of absolute errors over all samples."""

    _direction = "down"

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)


@keras_name("keras.metrics.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Mean absolute percentage error over all samples."""

    _direction = "down"

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(losses.mean_absolute_percentage_error, name=name, dtype=dtype)


@keras_name("keras.metrics.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Mean squared logarithmic error over all samples."""

    _direction = "down"

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(losses.mean_squared_logarithmic_error, name=name, dtype=dtype)


@keras_name("keras.metrics.CosineSimilarity")
class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity between targets and predictions.

    Args:
        axis: Axis along which the similarity is computed.
    """

    _direction = "up"

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


@keras_name("keras.metrics.LogCoshError")
class LogCoshError(MeanMetricWrapper):
    """Mean of `log(cosh(y_pred - y_true))`."""

    _direction = "down"

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(losses.log_cosh, name=name, dtype=dtype)


@keras_name("keras.metrics.RootMeanSquaredError")
class RootMeanSquaredError(Mean):
    """Square root of the mean squared error over all samples seen."""

    _direction = "down"

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), self.dtype)
        y_true = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


_R2_AGGREGATIONS = ("uniform_average", "variance_weighted_average", None)


@keras_name("keras.metrics.R2Score")
class R2Score(Metric):
    """Coefficient of determination, `1 - SS_res / SS_tot`, per output then aggregated.

    Args:
        class_aggregation: `"uniform_average"` (mean over outputs), `"variance_weighted_average"`
            (weighted by each output's variance) or None (one score per output).
        num_regressors: Number of independent variables; > 0 gives the adjusted R2.
        name: Name in logs.
        dtype: Dtype of the state.
    """

    _direction = "up"

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        if class_aggregation not in _R2_AGGREGATIONS:
            raise ValueError(
                f"R2Score: invalid `class_aggregation`. Expected one of {list(_R2_AGGREGATIONS)}."
                f" Received: class_aggregation={class_aggregation!r}")
        if num_regressors < 0:
            raise ValueError(
                f"R2Score: `num_regressors` must be >= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), name="num_samples")
        self.built = False

    def build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs of shape (batch_size, output_dim). Received: "
                f"y_true.shape={tuple(y_true_shape)}, y_pred.shape={tuple(y_pred_shape)}")
        outputs = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(outputs, name="squared_sum")
        self.sum = self.add_variable(outputs, name="sum")
        self.total_mse = self.add_variable(outputs, name="residual")
        self.count = self.add_variable(outputs, name="count")
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), self.dtype)
        y_true = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        self._build_on_first_update(y_true, y_pred)
        weight = ops.ones_like(y_true) if sample_weight is None else ops.cast(
            ops.convert_to_tensor(sample_weight), self.dtype)
        if len(weight.shape) == 1:
            weight = ops.expand_dims(weight, 1)
        weight = ops.broadcast_to(weight, y_true.shape)
        self.sum.assign(self.sum.value + ops.sum(y_true * weight, axis=0))
        self.squared_sum.assign(self.squared_sum.value + ops.sum(y_true * y_true * weight, axis=0))
        self.total_mse.assign(
            self.total_mse.value + ops.sum(ops.square(y_true - y_pred) * weight, axis=0))
        self.count.assign(self.count.value + ops.sum(weight, axis=0))
        self.num_samples.assign(self.num_samples.value + float(y_true.size))

    def result(self):
        mean = self.sum.value / self.count.value
        total = self.squared_sum.value - self.sum.value * mean
        raw = 1.0 - self.total_mse.value / total
        raw = ops.where(ops.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * raw) / ops.sum(total)
        else:
            score = raw
        if self.num_regressors:
            n, p = self.num_samples.value, float(self.num_regressors)
            adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
            # With too few samples the adjustment is undefined; keep the plain R2 (as Keras).
            score = ops.where(n - 1.0 > p, adjusted, score)
        return score

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}


@keras_name("keras.metrics.MeanRelativeError")
class MeanRelativeError(Mean):
    """tf-keras's mean of `|y_pred - y_true| / normalizer` (0 where the normalizer is 0).

    Args:
        normalizer: Values of the shape of the predictions (or broadcastable to it).
        name: Name in logs.
        dtype: Dtype of the state.

    Example:

    >>> m = keras.metrics.MeanRelativeError(normalizer=[1, 3, 2, 3])
    >>> m.update_state([1, 3, 2, 3], [2, 4, 6, 8])
    >>> float(m.result())  # mean([1, 1/3, 2, 5/3])
    1.25
    """

    def __init__(self, normalizer, name=None, dtype=None):
        super().__init__(name=name or "mean_relative_error", dtype=dtype)
        self.normalizer = ops.cast(ops.convert_to_tensor(normalizer), self.dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), self.dtype)
        y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true, expand_rank_1=False)
        y_pred, normalizer = _remove_squeezable_axis(y_pred, self.normalizer)
        try:
            errors = ops.divide_no_nan(ops.abs(y_true - y_pred), normalizer)
        except ValueError as error:
            raise ValueError(
                f"MeanRelativeError '{self.name}': y_true {tuple(y_true.shape)}, y_pred "
                f"{tuple(y_pred.shape)} and the normalizer {tuple(normalizer.shape)} must "
                f"broadcast together ({error}).") from None
        super().update_state(errors, sample_weight=sample_weight)

    def get_config(self):
        # A nested list, as tf-keras's JSON writes its array.
        return {**super().get_config(),
                "normalizer": ops.convert_to_numpy(self.normalizer).tolist()}


def _remove_squeezable_axis(a, b):
    """Drops a trailing size-1 axis from whichever of `a`, `b` has one axis more."""
    if len(b.shape) == len(a.shape) + 1 and b.shape[-1] == 1:
        return a, ops.squeeze(b, axis=-1)
    if len(a.shape) == len(b.shape) + 1 and a.shape[-1] == 1:
        return ops.squeeze(a, axis=-1), b
    return a, b
