"""`neokeras.metrics`: metric functions and stateful `Metric` classes."""

from neokeras.losses import (  # noqa: F401
    binary_crossentropy, categorical_crossentropy, mean_absolute_error, mean_squared_error,
    sparse_categorical_crossentropy)
from neokeras.metrics.accuracy_metrics import (  # noqa: F401
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, accuracy,
    binary_accuracy, categorical_accuracy, sparse_categorical_accuracy)
from neokeras.metrics.metric import Metric  # noqa: F401
from neokeras.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum  # noqa: F401
from neokeras.metrics.regression_metrics import MeanAbsoluteError, MeanSquaredError  # noqa: F401

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

ALL_FUNCTIONS = {
    "accuracy": accuracy, "binary_accuracy": binary_accuracy,
    "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error,
    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}
ALL_CLASSES = {
    cls.__name__: cls for cls in (
        Metric, Mean, Sum, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy,
        SparseCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError)
}


def get(identifier):
    """Resolves a metric: a name (`"mae"`), a `Metric` object, a function, or a dict.

    A name returns the function (wrapped by `compile` into a `MeanMetricWrapper`); the names
    `"accuracy"`/`"acc"` are resolved by `compile` from the loss and shapes.
    """
    if isinstance(identifier, str):
        found = ALL_FUNCTIONS.get(identifier)
        if found is None and identifier in ALL_CLASSES:
            found = ALL_CLASSES[identifier]()
        if found is None:
            from neokeras.saving.object_registration import get_custom_object

            found = get_custom_object(identifier)
        if found is None:
            raise ValueError(
                f"Unknown metric {identifier!r}. Known metrics: {sorted(ALL_FUNCTIONS)}.")
        return found
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier) or isinstance(identifier, Metric):
        return identifier
    raise TypeError(f"Could not interpret metric identifier: {identifier!r}")


def serialize(metric):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects={**ALL_FUNCTIONS, **ALL_CLASSES},
                                    custom_objects=custom_objects)
