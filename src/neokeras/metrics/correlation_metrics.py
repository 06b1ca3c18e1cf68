"""Correlation metrics: Pearson's and Lin's concordance correlation along an axis."""

from neokeras import config
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.losses import squeeze_or_expand_to_same_rank
from neokeras.metrics.reduction_metrics import MeanMetricWrapper


def _pair(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


@keras_name("keras.metrics.pearson_correlation")
def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson correlation coefficient of `y_true` and `y_pred` along `axis`."""
    y_true, y_pred = _pair(y_true, y_pred)
    centered_true = y_true - ops.mean(y_true, axis=axis, keepdims=True)
    centered_pred = y_pred - ops.mean(y_pred, axis=axis, keepdims=True)
    centered_true = centered_true / ops.std(centered_true, axis=axis, keepdims=True)
    centered_pred = centered_pred / ops.std(centered_pred, axis=axis, keepdims=True)
    return ops.mean(centered_true * centered_pred, axis=axis)


@keras_name("keras.metrics.concordance_correlation")
def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient along `axis`: correlation that also penalizes
    a shift or a scale between `y_true` and `y_pred`.

    As in Keras 3.15.1, the covariance term centers `y_true` on the mean of `y_pred`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    mean_true = ops.mean(y_true, axis=axis, keepdims=True)
    mean_pred = ops.mean(y_pred, axis=axis, keepdims=True)
    var_true = ops.var(y_true - mean_true, axis=axis, keepdims=True)
    var_pred = ops.var(y_pred - mean_pred, axis=axis, keepdims=True)
    covariance = (y_true - mean_pred) * (y_pred - mean_pred)
    norm = var_true + var_pred + ops.square(mean_true - mean_pred)
    return ops.mean(2.0 * covariance / (norm + config.epsilon()), axis=axis)


@keras_name("keras.metrics.PearsonCorrelation")
class PearsonCorrelation(MeanMetricWrapper):
    """Mean over samples of the Pearson correlation along `axis` (see `pearson_correlation`).

    Args:
        name: Name in logs.
        dtype: Dtype of the state.
        axis: Axis the correlation is computed along.
    """

    _direction = "up"

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis


@keras_name("keras.metrics.ConcordanceCorrelation")
class ConcordanceCorrelation(MeanMetricWrapper):
    """Mean over samples of the concordance correlation along `axis` (see
    `concordance_correlation`).

    Args:
        name: Name in logs.
        dtype: Dtype of the state.
        axis: Axis the correlation is computed along.
    """

    _direction = "up"

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis
