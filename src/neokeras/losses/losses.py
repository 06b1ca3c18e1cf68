"""Loss functions (`mean_squared_error(y_true, y_pred)`, one value per sample) and the matching
`Loss` classes (`MeanSquaredError()`, which also weight and reduce)."""

import warnings

from neokeras import config
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.losses.loss import LossFunctionWrapper
from neokeras.losses.loss import squeeze_or_expand_to_same_rank


def _pair(y_true, y_pred, fn_name):
    """Tensors of one float dtype and matching rank; a clear error when shapes disagree."""
    y_pred = ops.convert_to_tensor(y_pred)
    if "float" not in str(y_pred.dtype):
        y_pred = ops.cast(y_pred, config.floatx())
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if len(y_true.shape) != len(y_pred.shape) or any(
            a != b and 1 not in (a, b) for a, b in zip(y_true.shape, y_pred.shape)):
        raise ValueError(
            f"{fn_name}: y_true and y_pred have incompatible shapes {tuple(y_true.shape)} and "
            f"{tuple(y_pred.shape)}. Check that the model's output matches the targets "
            "(for integer class labels use sparse_categorical_crossentropy).")
    return y_true, y_pred


def _check_axis(axis, fn_name):
    if isinstance(axis, bool):
        raise ValueError(f"{fn_name}: `axis` must be an int. Received: axis={axis!r}")


def _warn_single_class(y_pred, fn_name):
    if y_pred.shape and y_pred.shape[-1] == 1:
        warnings.warn(
            f"{fn_name}: y_pred has shape {tuple(y_pred.shape)}, i.e. a single class. Use "
            "binary_crossentropy for two classes with one output.", SyntaxWarning, stacklevel=3)


def _smooth_categorical(y_true, label_smoothing):
    if not label_smoothing:
        return y_true
    return y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]


def _smooth_binary(y_true, label_smoothing):
    if not label_smoothing:
        return y_true
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing


# ---------------------------------------------------------------------------- regression


@keras_name("keras.losses.mean_squared_error", "keras.metrics.mean_squared_error",
            "keras.losses.mse", "keras.losses.MSE", "keras.metrics.mse", "keras.metrics.MSE")
def mean_squared_error(y_true, y_pred):
    """`mean(square(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_error")
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


@keras_name("keras.losses.mean_absolute_error", "keras.metrics.mean_absolute_error",
            "keras.losses.mae", "keras.losses.MAE", "keras.metrics.mae", "keras.metrics.MAE")
def mean_absolute_error(y_true, y_pred):
    """`mean(abs(y_true - y_pred), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred, "mean_absolute_error")
    return ops.mean(ops.abs(y_true - y_pred), axis=-1)


@keras_name("keras.losses.mean_absolute_percentage_error",
            "keras.metrics.mean_absolute_percentage_error", "keras.losses.mape",
            "keras.losses.MAPE", "keras.metrics.mape", "keras.metrics.MAPE")
def mean_absolute_percentage_error(y_true, y_pred):
    """`100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred, "mean_absolute_percentage_error")
    diff = ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), config.epsilon()))
    return 100.0 * ops.mean(diff, axis=-1)


@keras_name("keras.losses.mean_squared_logarithmic_error",
            "keras.metrics.mean_squared_logarithmic_error", "keras.losses.msle",
            "keras.losses.MSLE", "keras.metrics.msle", "keras.metrics.MSLE")
def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(1 + y_pred) - log(1 + y_true)), axis=-1)`, inputs floored at epsilon."""
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_logarithmic_error")
    eps = config.epsilon()
    diff = ops.log1p(ops.maximum(y_pred, eps)) - ops.log1p(ops.maximum(y_true, eps))
    return ops.mean(ops.square(diff), axis=-1)


def _l2_normalize(x, axis):
    squared = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return x * ops.rsqrt(ops.maximum(squared, 1e-12))


@keras_name("keras.losses.cosine_similarity")
def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along `axis`: -1 for parallel vectors, 0 for orthogonal."""
    y_true, y_pred = _pair(y_true, y_pred, "cosine_similarity")
    return -ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


@keras_name("keras.losses.huber", "keras.metrics.huber")
def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors up to `delta`, linear beyond: mean over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred, "huber")
    error = y_pred - y_true
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear), axis=-1)


@keras_name("keras.losses.log_cosh", "keras.metrics.log_cosh", "keras.losses.logcosh",
            "keras.metrics.logcosh")
def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), axis=-1)`, computed without overflow."""
    y_true, y_pred = _pair(y_true, y_pred, "log_cosh")
    x = y_pred - y_true
    # log(cosh(x)) = x + softplus(-2x) - log(2): finite for large |x|.
    return ops.mean(x + ops.softplus(-2.0 * x) - 0.6931471805599453, axis=-1)


# ---------------------------------------------------------------------------- hinge


def _to_signed_labels(y_true):
    """Maps 0/1 labels to -1/1; labels that are not all 0/1 are left as they are."""
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


@keras_name("keras.losses.hinge", "keras.metrics.hinge")
def hinge(y_true, y_pred):
    """`mean(maximum(1 - y_true * y_pred, 0), axis=-1)`; 0/1 labels are mapped to -1/1."""
    y_true, y_pred = _pair(y_true, y_pred, "hinge")
    y_true = _to_signed_labels(y_true)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


@keras_name("keras.losses.squared_hinge", "keras.metrics.squared_hinge")
def squared_hinge(y_true, y_pred):
    """`mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`; 0/1 labels become -1/1."""
    y_true, y_pred = _pair(y_true, y_pred, "squared_hinge")
    y_true = _to_signed_labels(y_true)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


@keras_name("keras.losses.categorical_hinge", "keras.metrics.categorical_hinge")
def categorical_hinge(y_true, y_pred):
    """`maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` for one-hot targets."""
    y_true, y_pred = _pair(y_true, y_pred, "categorical_hinge")
    positive = ops.sum(y_true * y_pred, axis=-1)
    negative = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(negative - positive + 1.0, 0.0)


# ---------------------------------------------------------------------------- probabilistic


@keras_name("keras.losses.kl_divergence", "keras.metrics.kl_divergence", "keras.losses.kld",
            "keras.losses.KLD", "keras.metrics.kld", "keras.metrics.KLD",
            "keras.losses.kullback_leibler_divergence",
            "keras.metrics.kullback_leibler_divergence")
def kl_divergence(y_true, y_pred):
    """`sum(y_true * log(y_true / y_pred), axis=-1)`, both clipped to `[epsilon, 1]`."""
    y_true, y_pred = _pair(y_true, y_pred, "kl_divergence")
    y_true = ops.clip(y_true, config.epsilon(), 1.0)
    y_pred = ops.clip(y_pred, config.epsilon(), 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


@keras_name("keras.losses.poisson", "keras.metrics.poisson")
def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)`."""
    y_true, y_pred = _pair(y_true, y_pred, "poisson")
    return ops.mean(y_pred - y_true * ops.log(y_pred + config.epsilon()), axis=-1)


@keras_name("keras.losses.binary_crossentropy", "keras.metrics.binary_crossentropy")
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Mean over `axis` of the binary crossentropy between 0/1 targets and probabilities.

    Args:
        from_logits: Whether `y_pred` are logits (computed stably, without a sigmoid).
        label_smoothing: Float in [0, 1]; targets are squeezed towards 0.5.
        axis: Axis averaged over.
    """
    y_true, y_pred = _pair(y_true, y_pred, "binary_crossentropy")
    y_true = _smooth_binary(y_true, label_smoothing)
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


@keras_name("keras.losses.binary_focal_crossentropy", "keras.metrics.binary_focal_crossentropy")
def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy scaled by `(1 - p_t) ** gamma`, which down-weights easy examples.

    Args:
        apply_class_balancing: Whether to weight positives by `alpha`, negatives by `1 - alpha`.
        alpha: Class-balancing weight of the positive class.
        gamma: Focusing parameter.
        from_logits: Whether `y_pred` are logits.
        label_smoothing: Float in [0, 1].
        axis: Axis averaged over.
    """
    y_true, y_pred = _pair(y_true, y_pred, "binary_focal_crossentropy")
    y_true = _smooth_binary(y_true, label_smoothing)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits)
    prob = ops.sigmoid(y_pred) if from_logits else y_pred
    p_t = y_true * prob + (1.0 - y_true) * (1.0 - prob)
    focal = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return ops.mean(focal, axis=axis)


@keras_name("keras.losses.categorical_crossentropy", "keras.metrics.categorical_crossentropy")
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy between one-hot (or soft) targets and class probabilities or logits.

    Args:
        from_logits: Whether `y_pred` are logits (uses log-softmax).
        label_smoothing: Float in [0, 1]; targets are mixed with the uniform distribution.
        axis: The class axis.
    """
    _check_axis(axis, "categorical_crossentropy")
    y_true, y_pred = _pair(y_true, y_pred, "categorical_crossentropy")
    _warn_single_class(y_pred, "categorical_crossentropy")
    y_true = _smooth_categorical(y_true, label_smoothing)
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


@keras_name("keras.losses.categorical_focal_crossentropy",
            "keras.metrics.categorical_focal_crossentropy")
def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical crossentropy with each class term scaled by `alpha * (1 - p) ** gamma`.

    Args:
        alpha: Weighting factor.
        gamma: Focusing parameter.
        from_logits: Whether `y_pred` are logits.
        label_smoothing: Float in [0, 1].
        axis: The class axis.
    """
    _check_axis(axis, "categorical_focal_crossentropy")
    y_true, y_pred = _pair(y_true, y_pred, "categorical_focal_crossentropy")
    _warn_single_class(y_pred, "categorical_focal_crossentropy")
    y_true = _smooth_categorical(y_true, label_smoothing)
    eps = config.epsilon()
    if from_logits:
        log_prob = ops.log_softmax(y_pred, axis=axis)
        prob = ops.exp(log_prob)
    else:
        prob = ops.clip(y_pred / ops.sum(y_pred, axis=axis, keepdims=True), eps, 1.0 - eps)
        log_prob = ops.log(prob)
    weight = alpha * ops.power(1.0 - prob, gamma)
    return ops.sum(-weight * y_true * log_prob, axis=axis)


def _sparse_targets(y_true, y_pred, fn_name, axis=-1):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if len(y_true.shape) == len(y_pred.shape) and y_true.shape[axis] == 1:
        y_true = ops.squeeze(y_true, axis=axis)
    expected = tuple(d for i, d in enumerate(y_pred.shape) if i != axis % len(y_pred.shape))
    if tuple(y_true.shape) != expected:
        raise ValueError(
            f"{fn_name}: expected integer targets of shape {expected} for predictions of shape "
            f"{tuple(y_pred.shape)}, got targets of shape {tuple(y_true.shape)}. For one-hot "
            "targets use categorical_crossentropy.")
    return y_true, y_pred


def _sparse_values_and_mask(y_true, y_pred, from_logits, ignore_class, axis):
    y_true, y_pred = _sparse_targets(y_true, y_pred, "sparse_categorical_crossentropy", axis)
    if ignore_class is None:
        labels = ops.cast(y_true, "int32")
        return ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits,
                                                   axis=axis), None
    valid = ops.not_equal(y_true, ignore_class)
    labels = ops.cast(ops.where(valid, y_true, 0), "int32")
    values = ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits, axis=axis)
    return ops.where(valid, values, 0.0), valid


@keras_name("keras.losses.sparse_categorical_crossentropy",
            "keras.metrics.sparse_categorical_crossentropy")
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Crossentropy between integer class targets and class probabilities or logits.

    Args:
        from_logits: Whether `y_pred` are logits.
        ignore_class: Optional class index whose entries get zero loss.
        axis: The class axis.
    """
    return _sparse_values_and_mask(y_true, y_pred, from_logits, ignore_class, axis)[0]


# ---------------------------------------------------------------------------- segmentation


@keras_name("keras.losses.dice")
def dice(y_true, y_pred, axis=None):
    """`1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred))`, summed over `axis`."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    union = ops.sum(y_true, axis=axis) + ops.sum(y_pred, axis=axis)
    return 1.0 - 2.0 * intersection / (union + config.epsilon())


@keras_name("keras.losses.tversky")
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """`1 - TP / (TP + alpha * sum(y_true * (1 - y_pred)) + beta * sum((1 - y_true) * y_pred))`.

    The weights are attached to the terms as Keras 3 attaches them (alpha to the missed part of
    the targets, beta to the predicted part outside them); alpha = beta = 0.5 gives Dice.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    intersection = ops.sum(y_true * y_pred, axis=axis)
    missed = ops.sum(y_true * (1.0 - y_pred), axis=axis)
    extra = ops.sum((1.0 - y_true) * y_pred, axis=axis)
    score = intersection / (intersection + alpha * missed + beta * extra + config.epsilon())
    return 1.0 - score


@keras_name("keras.losses.categorical_generalized_cross_entropy")
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized crossentropy `(1 - p ** q) / q` of the probability `p` given to the integer
    target class (robust to noisy labels: `q -> 0` is crossentropy, `q = 1` is MAE)."""
    y_pred = ops.convert_to_tensor(y_pred)
    target = ops.one_hot(ops.cast(ops.convert_to_tensor(y_true), "int32"), y_pred.shape[-1],
                         dtype=y_pred.dtype)
    p = ops.sum(y_pred * target, axis=-1)
    return (1.0 - ops.power(p, q)) / q


@keras_name("keras.losses.ctc")
def ctc(y_true, y_pred):
    """Connectionist temporal classification loss per sample.

    Args:
        y_true: Integer labels `(batch, max_label_length)`, padded with 0 (which is also the
            blank class).
        y_pred: Logits `(batch, timesteps, num_classes)`.
    """
    if len(y_true.shape) != 2:
        raise ValueError("ctc: y_true must be integer labels of shape (batch_size, max_length). "
                         f"Received: y_true.shape={tuple(y_true.shape)}")
    if len(y_pred.shape) != 3:
        raise ValueError("ctc: y_pred must be logits of shape (batch_size, max_length, "
                         f"num_classes). Received: y_pred.shape={tuple(y_pred.shape)}")
    batch, timesteps = y_pred.shape[0], y_pred.shape[1]
    label_length = ops.cast(ops.sum(ops.cast(ops.not_equal(y_true, 0), "int32"), axis=-1),
                            "int32")
    logit_length = ops.full((batch,), timesteps, dtype="int32")
    return ops.ctc_loss(y_true, y_pred, label_length, logit_length, mask_index=0)


@keras_name("keras.losses.circle")
def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80,
           margin=0.4):
    """Circle loss of L2-normalized embeddings `y_pred` with integer labels `y_true`.

    Each embedding is compared (cosine distance) with the reference embeddings (the batch
    itself by default): pairs of one label are pulled together and pairs of different labels
    pushed apart, each pair weighted by how far it is from its optimum.

    Args:
        ref_labels: Labels of the reference embeddings (default `y_true`).
        ref_embeddings: Reference embeddings (default `y_pred`).
        remove_diagonal: Leave out each embedding's pair with itself.
        gamma: Scale of the pair terms.
        margin: Relaxation margin of the optima.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), "int32")
    refs = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(
        ops.convert_to_tensor(ref_labels), "int32")
    distances = ops.maximum(1.0 - ops.matmul(y_pred, ops.transpose(refs)), 0.0)
    same = ops.equal(ops.reshape(y_true, (-1, 1)), ops.reshape(ref_labels, (1, -1)))
    positive, negative = same, ops.logical_not(same)
    if remove_diagonal:
        positive = ops.logical_and(positive, ops.logical_not(
            ops.eye(positive.shape[0], positive.shape[1], dtype="bool")))
    pos_weights = ops.maximum((margin + distances) * ops.cast(positive, distances.dtype), 0.0)
    neg_weights = ops.maximum((1.0 + margin - distances) * ops.cast(negative, distances.dtype),
                              0.0)
    pos_terms = -gamma * pos_weights * (margin - distances)
    neg_terms = gamma * neg_weights * (1.0 - margin - distances)
    pos_loss = ops.logsumexp(ops.where(positive, pos_terms, float("-inf")), axis=1)
    neg_loss = ops.logsumexp(ops.where(negative, neg_terms, float("-inf")), axis=1)
    return ops.softplus(pos_loss + neg_loss)


# ---------------------------------------------------------------------------- classes


@keras_name("keras.losses.MeanSquaredError")
class MeanSquaredError(LossFunctionWrapper):
    """Mean of squared errors: `mean(square(y_true - y_pred))`."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.MeanAbsoluteError")
class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors: `mean(abs(y_true - y_pred))`."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error: `100 * mean(abs((y_true - y_pred) / y_true))`."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error",
                 dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name,
                         dtype=dtype)


@keras_name("keras.losses.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error: `mean(square(log1p(y_pred) - log1p(y_true)))`."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error",
                 dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name,
                         dtype=dtype)


@keras_name("keras.losses.CosineSimilarity")
class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between targets and predictions.

    Args:
        axis: Axis along which the similarity is computed.
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)


@keras_name("keras.losses.Huber")
class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for small errors, linear for large ones.

    Args:
        delta: The error at which the loss changes from quadratic to linear.
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


@keras_name("keras.losses.LogCosh")
class LogCosh(LossFunctionWrapper):
    """Logarithm of the hyperbolic cosine of the prediction error."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.Hinge")
class Hinge(LossFunctionWrapper):
    """Hinge loss for -1/1 (or 0/1) labels."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.SquaredHinge")
class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss for -1/1 (or 0/1) labels."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.CategoricalHinge")
class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss for one-hot targets."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.KLDivergence")
class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.Poisson")
class Poisson(LossFunctionWrapper):
    """Poisson loss `mean(y_pred - y_true * log(y_pred))`."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.BinaryCrossentropy")
class BinaryCrossentropy(LossFunctionWrapper):
    """Binary crossentropy between 0/1 targets and probabilities (or logits).

    Args:
        from_logits: Whether predictions are logits rather than probabilities.
        label_smoothing: Float in [0, 1]; targets are squeezed towards 0.5.
        axis: Axis averaged over.
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@keras_name("keras.losses.BinaryFocalCrossentropy")
class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Focal binary crossentropy, focusing training on hard examples.

    Args:
        apply_class_balancing: Whether to weight classes by `alpha` / `1 - alpha`.
        alpha: Positive-class weight when balancing.
        gamma: Focusing parameter (0 gives plain binary crossentropy).
        from_logits: Whether predictions are logits.
        label_smoothing: Float in [0, 1].
        axis: Axis averaged over.
    """

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits


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
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@keras_name("keras.losses.CategoricalFocalCrossentropy")
class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Focal categorical crossentropy for one-hot targets.

    Args:
        alpha: Weighting factor.
        gamma: Focusing parameter.
        from_logits: Whether predictions are logits.
        label_smoothing: Float in [0, 1].
        axis: The class axis.
    """

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy",
                 dtype=None):
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits


@keras_name("keras.losses.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Categorical crossentropy for integer targets.

    Args:
        from_logits: Whether predictions are logits.
        ignore_class: Optional class index (e.g. a padding label) whose entries are left out:
            they get zero loss and averaging reductions average over the other entries.
        axis: The class axis.
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def call(self, y_true, y_pred):
        values, mask = _sparse_values_and_mask(y_true, y_pred, self.from_logits,
                                               self.ignore_class, self.axis)
        return values if mask is None else (values, mask)


@keras_name("keras.losses.Dice")
class Dice(LossFunctionWrapper):
    """Dice loss `1 - 2 |A ∩ B| / (|A| + |B|)` for segmentation.

    Args:
        axis: Axes summed over (default: all, giving one value for the batch).
    """

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)


@keras_name("keras.losses.Tversky")
class Tversky(LossFunctionWrapper):
    """Tversky loss, a Dice loss with separate weights for the two kinds of error.

    Args:
        alpha: Weight of the missed part of the targets.
        beta: Weight of the predicted part outside the targets.
        axis: Axes summed over (default: all).
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky",
                 axis=None, dtype=None):
        super().__init__(tversky, reduction=reduction, name=name, dtype=dtype, alpha=alpha,
                         beta=beta, axis=axis)


@keras_name("keras.losses.CategoricalGeneralizedCrossEntropy")
class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized crossentropy for integer targets, robust to noisy labels.

    Args:
        q: In (0, 1): towards 0 it behaves as crossentropy, towards 1 as MAE.
    """

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(
                f"CategoricalGeneralizedCrossEntropy: q must be in (0, 1). Received: q={q!r}")
        super().__init__(categorical_generalized_cross_entropy, reduction=reduction, name=name,
                         dtype=dtype, q=q)
        self.q = q


@keras_name("keras.losses.CTC")
class CTC(LossFunctionWrapper):
    """Connectionist temporal classification loss (see `ctc`): 0-padded integer labels
    `(batch, max_label_length)` against logits `(batch, timesteps, num_classes)`."""

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)


@keras_name("keras.losses.Circle")
class Circle(LossFunctionWrapper):
    """Circle loss for metric learning on L2-normalized embeddings with integer labels.

    Samples whose loss is 0 (no pair to learn from) are left out of averaging reductions, as
    Keras does.

    Args:
        gamma: Scale of the pair terms.
        margin: Relaxation margin of the optima.
        remove_diagonal: Leave out each embedding's pair with itself.
    """

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, reduction=reduction, name=name, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def call(self, y_true, y_pred):
        values = super().call(y_true, y_pred)
        return values, values > 0
