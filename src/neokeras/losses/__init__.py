"""`neokeras.losses`: loss functions (one value per sample) and `Loss` classes (weighted and
reduced to the scalar that training minimizes)."""

from neokeras.losses.loss import Loss
from neokeras.losses.loss import LossFunctionWrapper
from neokeras.losses.loss import reduce_values
from neokeras.losses.loss import reduce_weighted_values
from neokeras.losses.loss import squeeze_or_expand_to_same_rank
from neokeras.losses.reduction import Reduction
from neokeras.losses.losses import (
    CTC, BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
    CategoricalFocalCrossentropy, CategoricalGeneralizedCrossEntropy, CategoricalHinge, Circle,
    CosineSimilarity, Dice, Hinge, Huber,
    KLDivergence, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredError,
    MeanSquaredLogarithmicError, Poisson, SparseCategoricalCrossentropy, SquaredHinge, Tversky,
    binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, categorical_generalized_cross_entropy, categorical_hinge,
    circle, cosine_similarity, ctc, dice, hinge, huber,
    kl_divergence, log_cosh, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_error, mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy,
    squared_hinge, tversky)

# Keras 2 spellings.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

ALL_FUNCTIONS = {
    fn.__name__: fn for fn in (
        mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
        mean_squared_logarithmic_error, cosine_similarity, huber, log_cosh, hinge, squared_hinge,
        categorical_hinge, kl_divergence, poisson, binary_crossentropy, binary_focal_crossentropy,
        categorical_crossentropy, categorical_focal_crossentropy,
        sparse_categorical_crossentropy, dice, tversky, ctc, circle)
}
ALL_FUNCTIONS.update({
    "mse": mse, "MSE": mse, "mae": mae, "MAE": mae, "mape": mape, "MAPE": mape, "msle": msle,
    "MSLE": msle, "kld": kld, "KLD": kld, "kullback_leibler_divergence": kld,
    "logcosh": log_cosh, "huber_loss": huber, "bce": binary_crossentropy,
    "BCE": binary_crossentropy,
})
ALL_CLASSES = {
    cls.__name__: cls for cls in (
        Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError,
        MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, Huber,
        LogCosh, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
        BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
        CategoricalFocalCrossentropy, SparseCategoricalCrossentropy, Dice, Tversky, CTC, Circle)
}
# As in Keras 3.15.1, `get` does not know the generalized crossentropy by name (it still
# deserializes through its registered Keras name).


def get(identifier):
    """Resolves a loss: a name (`"mse"`, `"BinaryCrossentropy"`), a function, a `Loss` object or
    a serialized dict. A class name gives an instance with default arguments.

    Raises:
        ValueError: for an unknown name, listing the known ones.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        from neokeras.saving.serialization import get_by_name

        return get_by_name(identifier, ALL_FUNCTIONS, ALL_CLASSES, "loss")
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(
        f"Could not interpret loss identifier: expected a name, a function, a Loss or a dict. "
        f"Received: {identifier!r}")


def serialize(loss):
    """The JSON-compatible description of a loss (function or `Loss` object)."""
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(loss)


def deserialize(config, custom_objects=None):
    """Rebuilds a loss from `serialize` output or a name."""
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects={**ALL_FUNCTIONS, **ALL_CLASSES},
                                    custom_objects=custom_objects)
