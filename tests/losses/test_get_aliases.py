"""`losses.get` and `metrics.get` resolve every name of Keras 3.15.1's tables to the same kind of
object (function or instance of the same class, with the same metric name)."""

import inspect
import re

import numpy as np
import pytest

import neokeras

# Keras 3.15.1's `keras.src.losses.ALL_OBJECTS_DICT` and `keras.src.metrics.ALL_OBJECTS_DICT`
# keys (the test below checks this table against the installed Keras).
LOSS_NAMES = [
    "BCE", "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "CategoricalHinge", "Circle", "CosineSimilarity", "Dice",
    "Hinge", "Huber", "KLD", "KLDivergence", "LogCosh", "Loss", "LossFunctionWrapper", "MAE",
    "MAPE", "MSE", "MSLE", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson",
    "SparseCategoricalCrossentropy", "SquaredHinge", "Tversky", "bce", "binary_crossentropy",
    "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy",
    "categorical_hinge", "circle", "cosine_similarity", "ctc", "dice", "hinge", "huber",
    "kl_divergence", "kld", "log_cosh", "mae", "mape", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error",
    "mse", "msle", "poisson", "sparse_categorical_crossentropy", "squared_hinge", "tversky"]
METRIC_NAMES = [
    "AUC", "Accuracy", "BCE", "BinaryAccuracy", "BinaryCrossentropy", "BinaryIoU",
    "CategoricalAccuracy", "CategoricalCrossentropy", "CategoricalHinge",
    "ConcordanceCorrelation", "CosineSimilarity", "F1Score", "FBetaScore", "FalseNegatives",
    "FalsePositives", "Hinge", "IoU", "KLDivergence", "LogCoshError", "MAE", "MAPE", "MSE",
    "MSLE", "Mean", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanIoU",
    "MeanMetricWrapper", "MeanSquaredError", "MeanSquaredLogarithmicError", "Metric",
    "OneHotIoU", "OneHotMeanIoU", "PearsonCorrelation", "Poisson", "Precision",
    "PrecisionAtRecall", "R2Score", "Recall", "RecallAtPrecision", "RootMeanSquaredError",
    "SensitivityAtSpecificity", "SparseCategoricalAccuracy", "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy", "SpecificityAtSensitivity", "SquaredHinge", "Sum",
    "TopKCategoricalAccuracy", "TrueNegatives", "TruePositives", "accuracy", "auc", "bce",
    "binary_accuracy", "binary_crossentropy", "binary_io_u", "categorical_accuracy",
    "categorical_crossentropy", "categorical_hinge", "concordance_correlation",
    "cosine_similarity", "f1_score", "f_beta_score", "false_negatives", "false_positives",
    "hinge", "io_u", "kl_divergence", "log_cosh_error", "mae", "mape", "mean",
    "mean_absolute_error", "mean_absolute_percentage_error", "mean_io_u", "mean_metric_wrapper",
    "mean_squared_error", "mean_squared_logarithmic_error", "metric", "mse", "msle",
    "one_hot_io_u", "one_hot_mean_io_u", "pearson_correlation", "poisson", "precision",
    "precision_at_recall", "r2_score", "recall", "recall_at_precision",
    "root_mean_squared_error", "sensitivity_at_specificity", "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy", "sparse_top_k_categorical_accuracy",
    "specificity_at_sensitivity", "squared_hinge", "sum", "top_k_categorical_accuracy",
    "true_negatives", "true_positives"]


def _kind(obj):
    """What `get` returned, comparable across the two libraries (names lose Keras's `_1`)."""
    if inspect.isfunction(obj):
        return ("function", obj.__name__)
    return ("instance", type(obj).__name__, re.sub(r"_\d+$", "", getattr(obj, "name", "")))


def _resolve(module, name):
    try:
        return _kind(module.get(name))
    except (TypeError, ValueError) as error:
        return ("error", type(error).__name__)


def test_tables_are_keras_tables():
    pytest.importorskip("keras")
    from keras.src import losses, metrics

    assert sorted(losses.ALL_OBJECTS_DICT) == LOSS_NAMES
    assert sorted(metrics.ALL_OBJECTS_DICT) == METRIC_NAMES


@pytest.mark.parametrize("name", LOSS_NAMES)
def test_loss_get_matches_keras(name):
    keras = pytest.importorskip("keras")
    assert _resolve(neokeras.losses, name) == _resolve(keras.losses, name)


@pytest.mark.parametrize("name", METRIC_NAMES)
def test_metric_get_matches_keras(name):
    keras = pytest.importorskip("keras")
    assert _resolve(neokeras.metrics, name) == _resolve(keras.metrics, name)


@pytest.mark.parametrize("alias", ["bce", "mse", "mae", "mape", "msle"])
def test_compile_with_alias_logs_under_the_alias(alias):
    keras = pytest.importorskip("keras")
    x = np.linspace(0.1, 0.9, 12, dtype="float32").reshape(4, 3)
    y = np.array([[0.2], [0.7], [0.4], [0.9]], dtype="float32")
    results = []
    for lib in (neokeras, keras):
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1, activation="sigmoid")])
        model.build((None, 3))
        model.set_weights([np.full((3, 1), 0.3, "float32"), np.zeros(1, "float32")])
        model.compile("sgd", loss=alias, metrics=[alias])
        results.append(model.evaluate(x, y, verbose=0, return_dict=True))
    assert sorted(results[0]) == sorted(results[1])
    for key in results[1]:
        np.testing.assert_allclose(results[0][key], results[1][key], rtol=1e-5)
