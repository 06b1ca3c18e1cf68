"""F-beta and F1 scores from per-class counts accumulated over every batch."""

from neokeras import config
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.metrics.metric import Metric

_AVERAGES = (None, "micro", "macro", "weighted")


@keras_name("keras.metrics.FBetaScore")
class FBetaScore(Metric):
    """F-beta score `(1 + beta^2) * P * R / (beta^2 * P + R)` for multi-class or multi-label data.

    Args:
        average: None (one score per class), `"micro"` (pooled counts), `"macro"` (mean over
            classes) or `"weighted"` (mean weighted by each class's support).
        beta: Weight of recall relative to precision (> 0).
        threshold: Predictions above it are positive; None means the arg-max of each row.
        name: Name in logs.
        dtype: Dtype of the state.
    """

    _direction = "up"

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in _AVERAGES:
            raise ValueError(f"{type(self).__name__}: invalid `average`. Expected one of "
                             f"{list(_AVERAGES)}. Received: average={average!r}")
        if not isinstance(beta, (int, float)) or beta <= 0.0:
            raise ValueError(f"{type(self).__name__}: `beta` must be a float > 0. Received: "
                             f"beta={beta!r}")
        if threshold is not None and not (isinstance(threshold, float) and 0.0 < threshold <= 1.0):
            raise ValueError(f"{type(self).__name__}: `threshold` must be a float in (0, 1]. "
                             f"Received: threshold={threshold!r}")
        self.average = average
        self.beta = float(beta)
        self.threshold = threshold
        self.axis = 0 if average != "micro" else None
        self.built = False

    def build(self, y_true_shape, y_pred_shape):
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2 or y_pred_shape[-1] is None:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs of shape (batch_size, num_classes). "
                f"Received: y_true.shape={tuple(y_true_shape)}, "
                f"y_pred.shape={tuple(y_pred_shape)}")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_variable(shape, name="true_positives")
        self.false_positives = self.add_variable(shape, name="false_positives")
        self.false_negatives = self.add_variable(shape, name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, name="intermediate_weights")
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), self.dtype)
        self._build_on_first_update(y_true, y_pred)
        if self.threshold is None:
            row_max = ops.max(y_pred, axis=-1, keepdims=True)
            predicted = ops.logical_and(y_pred >= row_max, ops.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = ops.cast(predicted, self.dtype)
        weight = None if sample_weight is None else ops.expand_dims(
            ops.cast(ops.convert_to_tensor(sample_weight), self.dtype), 1)

        def total(values):
            return ops.sum(values if weight is None else values * weight, axis=self.axis)

        self.true_positives.assign(self.true_positives.value + total(predicted * y_true))
        self.false_positives.assign(
            self.false_positives.value + total(predicted * (1.0 - y_true)))
        self.false_negatives.assign(
            self.false_negatives.value + total((1.0 - predicted) * y_true))
        self.intermediate_weights.assign(self.intermediate_weights.value + total(y_true))

    def result(self):
        eps = config.epsilon()
        tp = self.true_positives.value
        precision = tp / (tp + self.false_positives.value + eps)
        recall = tp / (tp + self.false_negatives.value + eps)
        b2 = self.beta ** 2
        score = (1.0 + b2) * precision * recall / (b2 * precision + recall + eps)
        if self.average == "weighted":
            support = self.intermediate_weights.value
            return ops.sum(score * support / (ops.sum(support) + eps))
        if self.average is not None:
            return ops.mean(score)
        return score

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


@keras_name("keras.metrics.F1Score")
class F1Score(FBetaScore):
    """F1 score, the harmonic mean of precision and recall. Args as `FBetaScore` without `beta`."""

    _direction = "up"

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config_ = super().get_config()
        del config_["beta"]
        return config_
