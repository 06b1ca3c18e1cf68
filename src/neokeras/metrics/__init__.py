"""`neokeras.metrics`: metric functions (one value per sample) and stateful `Metric` classes
that accumulate exactly over batches."""

from neokeras.backend.common.naming import to_snake_case
from neokeras.losses import (  # noqa: F401
    binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, categorical_hinge, hinge, huber, kl_divergence, log_cosh,
    mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
    mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy, squared_hinge)
from neokeras.metrics.accuracy_metrics import (  # noqa: F401
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, accuracy, binary_accuracy,
    categorical_accuracy, sparse_categorical_accuracy, sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy)
from neokeras.metrics.confusion_metrics import (  # noqa: F401
    AUC, FalseNegatives, FalsePositives, Precision, PrecisionAtRecall, Recall, RecallAtPrecision,
    SensitivityAtSpecificity, SpecificityAtSensitivity, TrueNegatives, TruePositives)
from neokeras.metrics.correlation_metrics import (  # noqa: F401
    ConcordanceCorrelation, PearsonCorrelation, concordance_correlation, pearson_correlation)
from neokeras.metrics.f_score_metrics import F1Score, FBetaScore  # noqa: F401
from neokeras.metrics.iou_metrics import (  # noqa: F401
    BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU)
from neokeras.metrics import experimental  # noqa: F401
from neokeras.metrics.metric import Metric  # noqa: F401
from neokeras.metrics.probabilistic_metrics import (  # noqa: F401
    BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, Hinge, KLDivergence, Poisson,
    SparseCategoricalCrossentropy, SquaredHinge)
from neokeras.metrics.reduction_metrics import (  # noqa: F401
    Mean, MeanMetricWrapper, MeanTensor, Sum)
from neokeras.metrics.regression_metrics import (  # noqa: F401
    CosineSimilarity, LogCoshError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanRelativeError, MeanSquaredError, MeanSquaredLogarithmicError, R2Score,
    RootMeanSquaredError, cosine_similarity)

# Keras 2 spellings.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

ALL_FUNCTIONS = {
    fn.__name__: fn for fn in (
        accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
        top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mean_squared_error,
        mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error,
        binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
        categorical_focal_crossentropy, sparse_categorical_crossentropy, kl_divergence,
        poisson, hinge, squared_hinge, categorical_hinge, log_cosh, huber, cosine_similarity,
        pearson_correlation, concordance_correlation)
}
ALL_FUNCTIONS.update({
    "mse": mse, "MSE": mse, "mae": mae, "MAE": mae, "mape": mape, "MAPE": mape, "msle": msle,
    "MSLE": msle, "kld": kld, "KLD": kld, "kullback_leibler_divergence": kld,
    "logcosh": log_cosh, "acc": accuracy,
})
ALL_CLASSES = {
    cls.__name__: cls for cls in (
        Metric, Mean, Sum, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy,
        SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, AUC,
        Precision, Recall, TruePositives, TrueNegatives, FalsePositives, FalseNegatives,
        PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity,
        SpecificityAtSensitivity, F1Score, FBetaScore, MeanSquaredError, RootMeanSquaredError,
        MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
        CosineSimilarity, LogCoshError, R2Score, MeanIoU, IoU, BinaryCrossentropy,
        CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge,
        SquaredHinge, CategoricalHinge, BinaryIoU, OneHotIoU, OneHotMeanIoU, PearsonCorrelation,
        ConcordanceCorrelation, MeanTensor)
}
# What `get` makes of a name, as Keras 3: every class by its name or snake_case name, and the
# short aliases, give an instance with default arguments (`"mse"` -> `MeanSquaredError()`).
_INSTANCE_NAMES = {**ALL_CLASSES, **{to_snake_case(name): cls for name, cls in ALL_CLASSES.items()}}
_INSTANCE_NAMES.update({
    "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "mse": MeanSquaredError,
    "MSE": MeanSquaredError, "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
})


def get(identifier):
    """Resolves a metric: a name (`"mae"`, `"AUC"`), a `Metric` object, a function, or a dict.

    As in Keras 3, a class name, its snake_case form or a short alias (`"mse"`, `"bce"`) returns
    an instance with default arguments; other function names (Keras 2 spellings such as
    `"logcosh"`) return the function. `compile` resolves `"accuracy"`/`"acc"` from the loss and
    shapes before calling this.
    """
    if isinstance(identifier, str):
        if identifier in _INSTANCE_NAMES:
            return _INSTANCE_NAMES[identifier]()
        from neokeras.saving.serialization import get_by_name

        return get_by_name(identifier, ALL_FUNCTIONS, ALL_CLASSES, "metric")
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier) or isinstance(identifier, Metric):
        return identifier
    raise TypeError(
        "Could not interpret metric identifier: expected a name, a function, a Metric or a "
        f"dict. Received: {identifier!r}")


def serialize(metric):
    """The JSON-compatible description of a metric (function or `Metric` object)."""
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Rebuilds a metric from `serialize` output or a name."""
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects={**ALL_FUNCTIONS, **ALL_CLASSES},
                                    custom_objects=custom_objects)
