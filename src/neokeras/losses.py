"""Loss functions (`mean_squared_error(y_true, y_pred)`) and classes (`MeanSquaredError()`).

A function returns one value per sample (the mean over the last axis); a `Loss` object also
applies `sample_weight` and a reduction, giving the scalar that training minimizes.
"""

from neokeras import ops
from neokeras.api_export import keras_name

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "none", None, "auto")


def squeeze_or_expand_to_same_rank(x1, x2):
    """Matches ranks that differ by a trailing axis of size 1 (`(n,)` against `(n, 1)`)."""
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        return ops.squeeze(x1, axis=-1), x2
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        return x1, ops.squeeze(x2, axis=-1)
    return x1, x2


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(
            f"Loss: y_true and y_pred have incompatible shapes {tuple(y_true.shape)} and "
            f"{tuple(y_pred.shape)}. Check that the model's output matches the targets "
            "(for integer class labels use sparse_categorical_crossentropy).")
    return y_true, y_pred


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Weights per-sample `values` by `sample_weight` and reduces them to a scalar."""
    values = ops.convert_to_tensor(values)
    if sample_weight is not None:
        sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), values.dtype)
        sample_weight, values = squeeze_or_expand_to_same_rank(sample_weight, values)
        while len(sample_weight.shape) < len(values.shape):
            sample_weight = ops.expand_dims(sample_weight, -1)
        values = values * sample_weight
    if reduction in ("none", None):
        return values
    total = ops.sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean" and sample_weight is not None:
        return total / ops.maximum(ops.sum(ops.broadcast_to(sample_weight, values.shape)), 1e-12)
    return total / max(int(values.size), 1)


@keras_name("keras.losses.Loss")
class Loss:
    """Base class of loss objects.

    Args:
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"` or `"none"`.
        name: Name of the loss (used in logs).
        dtype: Computation dtype (default `floatx()`).
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"Invalid reduction {reduction!r}. Expected one of {_REDUCTIONS[:4]}.")
        self.name = name or _snake(type(self).__name__)
        self.reduction = "sum_over_batch_size" if reduction == "auto" else reduction
        self.dtype = dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        values = self.call(y_true, y_pred)
        return reduce_values(values, sample_weight, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A `Loss` whose per-sample values come from a function `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}


@keras_name("keras.losses.mean_squared_error", "keras.losses.mse", "keras.metrics.mean_squared_error",
            "keras.metrics.mse")
def mean_squared_error(y_true, y_pred):
    """`mean(square(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


@keras_name("keras.losses.mean_absolute_error", "keras.losses.mae",
            "keras.metrics.mean_absolute_error", "keras.metrics.mae")
def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


@keras_name("keras.losses.binary_crossentropy", "keras.metrics.binary_crossentropy")
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Mean over `axis` of the binary crossentropy between 0/1 targets and probabilities."""
    y_true, y_pred = _prepare(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


@keras_name("keras.losses.categorical_crossentropy", "keras.metrics.categorical_crossentropy")
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot targets and class probabilities (or logits)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    if label_smoothing:
        num_classes = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


@keras_name("keras.losses.sparse_categorical_crossentropy",
            "keras.metrics.sparse_categorical_crossentropy")
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Crossentropy between integer class targets and class probabilities (or logits)."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1:
        y_true = ops.squeeze(y_true, axis=-1)
    if tuple(y_true.shape) != tuple(y_pred.shape[:-1]):
        raise ValueError(
            "sparse_categorical_crossentropy expects integer targets of shape "
            f"{tuple(y_pred.shape[:-1])} for predictions of shape {tuple(y_pred.shape)}, "
            f"got targets of shape {tuple(y_true.shape)}. For one-hot targets use "
            "categorical_crossentropy.")
    y_true = ops.cast(y_true, "int32")
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    valid = ops.not_equal(y_true, ignore_class)
    safe_true = ops.where(valid, y_true, 0)
    values = ops.sparse_categorical_crossentropy(safe_true, y_pred, from_logits=from_logits, axis=axis)
    return ops.where(valid, values, 0.0)


@keras_name("keras.losses.MeanSquaredError")
class MeanSquaredError(LossFunctionWrapper):
    """Mean of squared errors."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.MeanAbsoluteError")
class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.BinaryCrossentropy")
class BinaryCrossentropy(LossFunctionWrapper):
    """Binary crossentropy.

    Args:
        from_logits: Whether predictions are logits rather than probabilities.
        label_smoothing: Float in [0, 1]; targets are squeezed towards 0.5.
        axis: Axis averaged over.
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


@keras_name("keras.losses.CategoricalCrossentropy")
class CategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy for one-hot targets.

    Args:
        from_logits: Whether predictions are logits.
        label_smoothing: Float in [0, 1]; targets are mixed with the uniform distribution.
        axis: The class axis.
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


@keras_name("keras.losses.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy for integer targets.

    Args:
        from_logits: Whether predictions are logits.
        ignore_class: Optional class index whose samples contribute no loss.
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class)


def _snake(name):
    from neokeras.backend.common.naming import to_snake_case

    return to_snake_case(name)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

ALL_FUNCTIONS = {
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error, "MSE": mean_squared_error,
    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error,
    "MAE": mean_absolute_error, "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}
ALL_CLASSES = {
    "Loss": Loss, "MeanSquaredError": MeanSquaredError, "MeanAbsoluteError": MeanAbsoluteError,
    "BinaryCrossentropy": BinaryCrossentropy, "CategoricalCrossentropy": CategoricalCrossentropy,
    "SparseCategoricalCrossentropy": SparseCategoricalCrossentropy,
}


def get(identifier):
    """Resolves a loss: a name (`"mse"`), a function, a `Loss` object or a serialized dict.

    Raises:
        ValueError: for an unknown name, listing the known ones.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        found = ALL_FUNCTIONS.get(identifier)
        if found is None and identifier in ALL_CLASSES:
            found = ALL_CLASSES[identifier]()
        if found is None:
            from neokeras.saving.object_registration import get_custom_object

            found = get_custom_object(identifier)
        if found is None:
            raise ValueError(
                f"Unknown loss {identifier!r}. Known losses: {sorted(ALL_FUNCTIONS)}.")
        return found
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret loss identifier: {identifier!r}")


def serialize(loss):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(loss)


def deserialize(config, custom_objects=None):
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects={**ALL_FUNCTIONS, **ALL_CLASSES},
                                    custom_objects=custom_objects)
