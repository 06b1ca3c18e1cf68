"""Metrics computed from confusion counts accumulated over every batch at fixed thresholds:
`TruePositives`..., `Precision`, `Recall`, the `...At...` family and `AUC`.

Counts are summed exactly across batches, so the result is the metric of all data seen, not an
average of per-batch values.
"""

import numpy as np

from neokeras import config
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.losses import squeeze_or_expand_to_same_rank
from neokeras.metrics.metric import Metric


def divide_no_nan(x, y):
    """`x / y`, with 0 where `y == 0`."""
    zero = ops.equal(y, 0)
    return ops.where(zero, ops.zeros_like(x), x / ops.where(zero, ops.ones_like(y), y))


def _check_thresholds(thresholds, owner):
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) \
        else [thresholds]
    for t in values:
        if not 0.0 <= float(t) <= 1.0:
            raise ValueError(
                f"{owner}: every threshold must be in [0, 1]. Received: thresholds={thresholds!r}")
    return [float(t) for t in values]


def _keep_top_k(y_pred, k):
    """Sets every score outside the row's top `k` to -inf (so no threshold calls it positive)."""
    kth_largest = ops.top_k(y_pred, k)[0][..., -1:]
    return ops.where(ops.greater_equal(y_pred, kth_largest), y_pred, -np.inf)


def confusion_counts(y_true, y_pred, thresholds, sample_weight=None, top_k=None, class_id=None,
                     multi_label=False, label_weights=None, dtype="float32"):
    """Weighted (tp, fp, tn, fn) counts of `y_pred > threshold` against boolean `y_true`.

    Each count has shape `(num_thresholds,)`, or `(num_thresholds, num_labels)` when
    `multi_label` (labels are the last axis of rank-2 predictions).
    """
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), dtype)
    y_true = ops.cast(ops.convert_to_tensor(y_true), dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    weight = None
    if sample_weight is not None:
        weight = ops.expand_dims(ops.cast(ops.convert_to_tensor(sample_weight), dtype), -1)
        _, weight = squeeze_or_expand_to_same_rank(y_true, weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = _keep_top_k(y_pred, top_k)
    if class_id is not None:
        if len(y_pred.shape) < 2:
            raise ValueError(
                "class_id needs predictions of shape (num_samples, num_classes). Received: "
                f"y_pred.shape={tuple(y_pred.shape)}")
        y_true, y_pred = y_true[..., class_id:class_id + 1], y_pred[..., class_id:class_id + 1]
        if weight is not None and len(weight.shape) == len(y_pred.shape) and weight.shape[-1] > 1:
            weight = weight[..., class_id:class_id + 1]
    if weight is not None:
        weight = ops.broadcast_to(weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        lw = ops.broadcast_to(ops.cast(ops.convert_to_tensor(label_weights), dtype), y_pred.shape)
        weight = lw if weight is None else weight * lw
    thresholds = ops.convert_to_tensor(np.asarray(thresholds, dtype=dtype))
    if multi_label:
        pred = ops.expand_dims(y_pred, 0)
        label = ops.expand_dims(ops.cast(y_true, "bool"), 0)
        thr = ops.reshape(thresholds, (-1, 1, 1))
        weight = None if weight is None else ops.expand_dims(weight, 0)
    else:
        pred = ops.reshape(y_pred, (1, -1))
        label = ops.reshape(ops.cast(y_true, "bool"), (1, -1))
        thr = ops.reshape(thresholds, (-1, 1))
        weight = None if weight is None else ops.reshape(weight, (1, -1))
    predicted = ops.greater(pred, thr)

    def count(condition):
        if weight is None:
            return ops.sum(ops.cast(condition, dtype), axis=1)
        return ops.sum(ops.where(condition, weight, 0.0), axis=1)

    not_label, not_predicted = ops.logical_not(label), ops.logical_not(predicted)
    return (count(ops.logical_and(label, predicted)), count(ops.logical_and(not_label, predicted)),
            count(ops.logical_and(not_label, not_predicted)),
            count(ops.logical_and(label, not_predicted)))


class _ConfusionCount(Metric):
    _which = None  # index into (tp, fp, tn, fn)

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _check_thresholds(0.5 if thresholds is None else thresholds,
                                            type(self).__name__)
        self.accumulator = self.add_variable((len(self.thresholds),), name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                  dtype=self.dtype)
        self.accumulator.assign(self.accumulator.value + counts[self._which])

    def result(self):
        value = self.accumulator.value
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


@keras_name("keras.metrics.TruePositives")
class TruePositives(_ConfusionCount):
    """Weighted count of true positives (`y_pred > threshold` and `y_true` true).

    Args:
        thresholds: A float or list of floats in [0, 1] (default 0.5); one count each.
        name: Name in logs.
        dtype: Dtype of the state.
    """

    _which = 0


@keras_name("keras.metrics.FalsePositives")
class FalsePositives(_ConfusionCount):
    """Weighted count of false positives. Args as `TruePositives`."""

    _which = 1


@keras_name("keras.metrics.TrueNegatives")
class TrueNegatives(_ConfusionCount):
    """Weighted count of true negatives. Args as `TruePositives`."""

    _which = 2


@keras_name("keras.metrics.FalseNegatives")
class FalseNegatives(_ConfusionCount):
    """Weighted count of false negatives. Args as `TruePositives`."""

    _which = 3


class _PrecisionRecallBase(Metric):
    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        if thresholds is None:
            self.thresholds = [0.5] if top_k is None else [-1e30]
        else:
            self.thresholds = _check_thresholds(thresholds, type(self).__name__)
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, name="true_positives")
        self._other = self.add_variable(shape, name=self._other_name)

    def update_state(self, y_true, y_pred, sample_weight=None):
        tp, fp, _, fn = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                         top_k=self.top_k, class_id=self.class_id,
                                         dtype=self.dtype)
        self.true_positives.assign(self.true_positives.value + tp)
        self._other.assign(self._other.value + (fp if self._other_name == "false_positives"
                                                else fn))

    def result(self):
        tp = self.true_positives.value
        value = divide_no_nan(tp, tp + self._other.value)
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


@keras_name("keras.metrics.Precision")
class Precision(_PrecisionRecallBase):
    """`tp / (tp + fp)` over all data seen.

    Args:
        thresholds: A float or list of floats in [0, 1]; predictions above count as positive
            (default 0.5, or "in the top k" when `top_k` is set).
        top_k: Only the `k` highest predictions of each sample can be positive.
        class_id: Compute the metric for this class (last axis) only.
        name: Name in logs.
        dtype: Dtype of the state.
    """

    _direction = "up"

    _other_name = "false_positives"

    @property
    def false_positives(self):
        return self._other


@keras_name("keras.metrics.Recall")
class Recall(_PrecisionRecallBase):
    """`tp / (tp + fn)` over all data seen. Args as `Precision`."""

    _direction = "up"

    _other_name = "false_negatives"

    @property
    def false_negatives(self):
        return self._other


class _AllCountsMetric(Metric):
    """State: tp, fp, tn, fn at `num_thresholds` thresholds evenly spaced over [0, 1]."""

    def __init__(self, value, value_name, num_thresholds=200, class_id=None, name=None,
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{type(self).__name__}: `{value_name}` must be in [0, 1]. "
                             f"Received: {value_name}={value}")
        if num_thresholds <= 0:
            raise ValueError(f"{type(self).__name__}: `num_thresholds` must be > 0. Received: "
                             f"num_thresholds={num_thresholds}")
        self.value = value
        self._value_name = value_name
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:
            self.thresholds = [i / (num_thresholds - 1) for i in range(num_thresholds)]
        shape = (len(self.thresholds),)
        self.true_positives = self.add_variable(shape, name="true_positives")
        self.false_positives = self.add_variable(shape, name="false_positives")
        self.true_negatives = self.add_variable(shape, name="true_negatives")
        self.false_negatives = self.add_variable(shape, name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                  class_id=self.class_id, dtype=self.dtype)
        for variable, count in zip((self.true_positives, self.false_positives,
                                    self.true_negatives, self.false_negatives), counts):
            variable.assign(variable.value + count)

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {"recall": divide_no_nan(tp, tp + fn), "precision": divide_no_nan(tp, tp + fp),
                "specificity": divide_no_nan(tn, tn + fp)}

    def _best(self, constrained, dependent):
        """Max of `dependent` over thresholds where `constrained >= value` (0 if none)."""
        rates = self._rates()
        feasible = ops.greater_equal(rates[constrained], self.value)
        return ops.max(ops.where(feasible, rates[dependent], 0.0))

    def get_config(self):
        return {**super().get_config(), self._value_name: self.value,
                "num_thresholds": self.num_thresholds, "class_id": self.class_id}


@keras_name("keras.metrics.SensitivityAtSpecificity")
class SensitivityAtSpecificity(_AllCountsMetric):
    """Best sensitivity (recall) over thresholds whose specificity is >= `specificity`.

    Args:
        specificity: Float in [0, 1].
        num_thresholds: Thresholds evenly spaced over [0, 1] (default 200).
        class_id: Compute the metric for this class only.
        name: Name in logs.
        dtype: Dtype of the state.
    """

    _direction = "up"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, "specificity", num_thresholds, class_id, name, dtype)
        self.specificity = specificity

    def result(self):
        return self._best("specificity", "recall")


@keras_name("keras.metrics.SpecificityAtSensitivity")
class SpecificityAtSensitivity(_AllCountsMetric):
    """Best specificity over thresholds whose sensitivity is >= `sensitivity`. Args as
    `SensitivityAtSpecificity`."""

    _direction = "up"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, "sensitivity", num_thresholds, class_id, name, dtype)
        self.sensitivity = sensitivity

    def result(self):
        return self._best("recall", "specificity")


@keras_name("keras.metrics.PrecisionAtRecall")
class PrecisionAtRecall(_AllCountsMetric):
    """Best precision over thresholds whose recall is >= `recall`. Args as
    `SensitivityAtSpecificity`."""

    _direction = "up"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, "recall", num_thresholds, class_id, name, dtype)
        self.recall = recall

    def result(self):
        return self._best("recall", "precision")


@keras_name("keras.metrics.RecallAtPrecision")
class RecallAtPrecision(_AllCountsMetric):
    """Best recall over thresholds whose precision is >= `precision`. Args as
    `SensitivityAtSpecificity`."""

    _direction = "up"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, "precision", num_thresholds, class_id, name, dtype)
        self.precision = precision

    def result(self):
        return self._best("precision", "recall")


_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "minoring", "majoring")


@keras_name("keras.metrics.AUC")
class AUC(Metric):
    """Area under the ROC or precision-recall curve, from confusion counts at fixed thresholds.

    Args:
        num_thresholds: Number of thresholds (default 200), evenly spaced over [0, 1].
        curve: `"ROC"` (default), `"PR"` or `"PRGAIN"`.
        summation_method: `"interpolation"` (trapezoids; for PR the Davis & Goadrich
            interpolation), `"minoring"` or `"majoring"`.
        name: Name in logs.
        dtype: Dtype of the state.
        thresholds: Optional explicit thresholds in [0, 1] (then `num_thresholds` is ignored).
        multi_label: When True, one curve per label (last axis of 2D data), then averaged;
            otherwise all labels are pooled into one curve.
        num_labels: Number of labels when `multi_label` (otherwise taken from the first data).
        label_weights: Optional per-label weights.
        from_logits: Whether predictions are logits (a sigmoid is applied).
    """

    _direction = "up"

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        super().__init__(name=name, dtype=dtype)
        curve_key = str(curve).lower()
        if curve_key not in _CURVES:
            raise ValueError(f"AUC: invalid `curve`. Expected one of {list(_CURVES.values())}. "
                             f"Received: curve={curve!r}")
        if str(summation_method).lower() not in _SUMMATIONS:
            raise ValueError(f"AUC: invalid `summation_method`. Expected one of {_SUMMATIONS}. "
                             f"Received: summation_method={summation_method!r}")
        self._init_from_thresholds = thresholds is not None
        eps = config.epsilon()
        if thresholds is not None:
            inner = sorted(_check_thresholds(thresholds, "AUC"))
            self.num_thresholds = len(inner) + 2
        else:
            if num_thresholds <= 1:
                raise ValueError("AUC: `num_thresholds` must be > 1. Received: "
                                 f"num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        # The end thresholds sit just outside [0, 1] so that predictions of exactly 0 or 1
        # fall on the right side of them.
        self.thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self.curve = _CURVES[curve_key]
        self.summation_method = str(summation_method).lower()
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else np.asarray(
            label_weights, dtype=self.dtype)
        self._from_logits = from_logits
        self.built = False
        if not multi_label:
            if num_labels:
                raise ValueError("AUC: `num_labels` is only used when `multi_label=True`.")
            self._create_state((self.num_thresholds,))
        elif num_labels:
            self._create_state((self.num_thresholds, num_labels))

    def _create_state(self, shape):
        self.true_positives = self.add_variable(shape, name="true_positives")
        self.false_positives = self.add_variable(shape, name="false_positives")
        self.true_negatives = self.add_variable(shape, name="true_negatives")
        self.false_negatives = self.add_variable(shape, name="false_negatives")
        self.built = True

    def build(self, y_true_shape, y_pred_shape):
        if self.built:
            return
        if len(y_pred_shape) != 2:
            raise ValueError("AUC(multi_label=True) expects predictions of rank 2 "
                             f"(batch, labels). Received: y_pred.shape={tuple(y_pred_shape)}")
        self.num_labels = y_pred_shape[-1]
        self._create_state((self.num_thresholds, self.num_labels))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred)
        self._build_on_first_update(ops.convert_to_tensor(y_true), y_pred)
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        counts = confusion_counts(
            y_true, y_pred, self.thresholds, sample_weight, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights, dtype=self.dtype)
        for variable, count in zip((self.true_positives, self.false_positives,
                                    self.true_negatives, self.false_negatives), counts):
            variable.assign(variable.value + count)

    def _aggregate(self, per_threshold_terms):
        if not self.multi_label:
            return ops.sum(per_threshold_terms)
        by_label = ops.sum(per_threshold_terms, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        weights = ops.convert_to_tensor(self.label_weights)
        return divide_no_nan(ops.sum(by_label * weights), ops.sum(weights))

    def _interpolated_pr_auc(self, tp, fp, fn):
        # Between adjacent thresholds precision is interpolated as a function of the number of
        # predicted positives p: tp(p) = slope * p + intercept, and the area is integrated
        # exactly (Davis & Goadrich, 2006).
        d_tp = tp[:-1] - tp[1:]
        p = tp + fp
        d_p = p[:-1] - p[1:]
        slope = divide_no_nan(d_tp, ops.maximum(d_p, 0.0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = ops.logical_and(ops.greater(p[:-1], 0), ops.greater(p[1:], 0))
        ratio = ops.where(both_positive, divide_no_nan(p[:-1], ops.maximum(p[1:], 0.0)),
                          ops.ones_like(p[1:]))
        terms = divide_no_nan(slope * (d_tp + intercept * ops.log(ratio)),
                              ops.maximum(tp[1:] + fn[1:], 0.0))
        return self._aggregate(terms)

    def result(self):
        if not self.built:
            return ops.convert_to_tensor(0.0, self.dtype)
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolated_pr_auc(tp, fp, fn)
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, tp + fp)
        else:
            scale = divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * divide_no_nan(fp, tp)
            no_tp = ops.equal(tp, 0.0)
            x = ops.maximum(ops.where(no_tp, 0.0, recall_gain), 0.0)
            y = ops.where(no_tp, 1.0, precision_gain)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        return self._aggregate((x[:-1] - x[1:]) * heights)

    def get_config(self):
        config_ = {**super().get_config(), "num_thresholds": self.num_thresholds,
                   "curve": self.curve, "summation_method": self.summation_method,
                   "multi_label": self.multi_label, "num_labels": self.num_labels,
                   "label_weights": None if self.label_weights is None
                   else self.label_weights.tolist(),
                   "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config_["thresholds"] = self.thresholds[1:-1]
        return config_
