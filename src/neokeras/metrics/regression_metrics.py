"""Regression metrics as stateful objects."""

from neokeras import losses
from neokeras.api_export import keras_name
from neokeras.metrics.reduction_metrics import MeanMetricWrapper


@keras_name("keras.metrics.MeanSquaredError")
class MeanSquaredError(MeanMetricWrapper):
    """Mean of squared errors over all samples."""

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(losses.mean_squared_error, name=name, dtype=dtype)


@keras_name("keras.metrics.MeanAbsoluteError")
class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of absolute errors over all samples."""

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(losses.mean_absolute_error, name=name, dtype=dtype)
