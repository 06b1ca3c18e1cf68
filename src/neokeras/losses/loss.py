"""The `Loss` base class, `LossFunctionWrapper`, and the reductions that turn per-sample values
into the scalar that training minimizes."""

from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend.common import naming

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(reduction, owner="Loss"):
    if reduction == "auto":  # Keras 2 spelling.
        return "sum_over_batch_size"
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"{owner}: invalid `reduction`. Expected one of {list(REDUCTIONS)}. "
            f"Received: reduction={reduction!r}")
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Matches ranks that differ by a trailing axis of size 1.

    `(n, 1)` against `(n,)` expands the rank-1 side (when `expand_rank_1`); deeper ranks squeeze
    the size-1 axis instead.
    """
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            return x1, ops.expand_dims(x2, -1)
        return ops.squeeze(x1, axis=-1), x2
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            return ops.expand_dims(x1, -1), x2
        return x1, ops.squeeze(x2, axis=-1)
    return x1, x2


def _divide_no_nan(x, y):
    safe = ops.where(ops.equal(y, 0), ops.ones_like(y), y)
    return ops.where(ops.equal(y, 0), ops.zeros_like(x), x / safe)


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces already weighted `values` to a scalar.

    `"sum_over_batch_size"` and `"mean"` divide the sum by the number of entries of `values`,
    `"mean_with_sample_weight"` by the sum of `sample_weight`, `"sum"` does not divide, and
    `"none"`/`None` return `values` unchanged.
    """
    values = ops.convert_to_tensor(values)
    if reduction in (None, "none") or tuple(values.shape) in ((), (0,)):
        return values
    total = ops.sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = ops.cast(ops.sum(sample_weight), total.dtype)
    else:
        divisor = ops.cast(values.size, total.dtype)
    return _divide_no_nan(total, divisor)


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Applies `sample_weight` (and a boolean `mask` of valid entries) then reduces.

    With a mask and an averaging reduction the average is over the valid entries only.
    """
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    if mask is not None:
        mask = ops.cast(mask, values.dtype)
        if reduction in ("mean", "sum_over_batch_size"):
            # Scale valid entries so that dividing by the full size averages over valid ones.
            mask = mask * _divide_no_nan(ops.cast(mask.size, values.dtype), ops.sum(mask))
        if sample_weight is None:
            sample_weight = mask
        else:
            sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), values.dtype)
            mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
            sample_weight = sample_weight * mask
    if sample_weight is not None:
        sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


@keras_name("keras.losses.Loss", "keras.Loss")
class Loss:
    """Base class of loss objects; subclasses implement `call(y_true, y_pred)`.

    Args:
        name: Name of the loss (used in logs).
        reduction: `"sum_over_batch_size"` (default), `"sum"`, `"mean"`,
            `"mean_with_sample_weight"` or `"none"`.
        dtype: Computation dtype (default `floatx()`).
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or naming.to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction, type(self).__name__)
        self._dtype = backend.standardize_dtype(dtype)

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred, dtype=self._dtype)
        y_true = ops.convert_to_tensor(y_true)
        values = self.call(y_true, y_pred)
        mask = None
        if isinstance(values, tuple):  # (values, mask of the entries that count)
            values, mask = values
        return reduce_weighted_values(values, sample_weight, mask, self.reduction, self._dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name} reduction={self.reduction}>"


@keras_name("keras.losses.LossFunctionWrapper")
class LossFunctionWrapper(Loss):
    """A `Loss` whose per-sample values come from `fn(y_true, y_pred, **kwargs)`.

    Args:
        fn: The loss function.
        reduction: See `Loss`.
        name: Name of the loss.
        dtype: Computation dtype.
        **kwargs: Extra keyword arguments passed to `fn`.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"LossFunctionWrapper: `fn` must be callable. Received: fn={fn!r}")
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = {**super().get_config(), **self._fn_kwargs}
        if type(self) is LossFunctionWrapper:
            from neokeras.saving.serialization import serialize_keras_object

            config["fn"] = serialize_keras_object(self.fn)
        return config

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            from neokeras.saving.serialization import deserialize_keras_object

            config = {**config, "fn": deserialize_keras_object(config["fn"])}
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__}({getattr(self.fn, '__name__', self.fn)}, " \
               f"kwargs={self._fn_kwargs})>"
