"""Intersection-over-union metrics from a confusion matrix accumulated over every batch."""

from neokeras import config
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.metrics.metric import Metric


@keras_name("keras.metrics.IoU")
class IoU(Metric):
    """Mean of `tp / (tp + fp + fn)` over `target_class_ids`, for semantic segmentation.

    Classes that never occur in targets or predictions are left out of the mean.

    Args:
        num_classes: Number of classes.
        target_class_ids: Class ids whose IoU is averaged.
        name: Name in logs.
        dtype: Dtype of the state.
        ignore_class: Optional class id whose target entries are skipped.
        sparse_y_true: Whether targets are class ids (True) or one-hot/scores (False).
        sparse_y_pred: Whether predictions are class ids (True) or scores (False).
        axis: The class axis of non-sparse inputs.
    """

    _direction = "up"

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype)
        if not isinstance(num_classes, int) or num_classes < 1:
            raise ValueError(f"{type(self).__name__}: `num_classes` must be a positive int. "
                             f"Received: num_classes={num_classes!r}")
        target_class_ids = list(target_class_ids)
        if max(target_class_ids, default=0) >= num_classes or min(target_class_ids,
                                                                    default=0) < 0:
            raise ValueError(f"{type(self).__name__}: `target_class_ids` must be in "
                             f"[0, {num_classes}). Received: {target_class_ids}")
        self.num_classes = num_classes
        self.target_class_ids = target_class_ids
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes), name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred)
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.cast(y_true, "int32"), (-1,))
        y_pred = ops.reshape(ops.cast(y_pred, "int32"), (-1,))
        weight = ops.ones(y_true.shape, self.dtype) if sample_weight is None else \
            ops.broadcast_to(ops.reshape(ops.cast(ops.convert_to_tensor(sample_weight),
                                                  self.dtype), (-1,)), y_true.shape)
        in_range = ops.logical_and(
            ops.logical_and(y_true >= 0, y_true < self.num_classes),
            ops.logical_and(y_pred >= 0, y_pred < self.num_classes))
        if self.ignore_class is not None:
            in_range = ops.logical_and(in_range, ops.not_equal(y_true, self.ignore_class))
        weight = ops.where(in_range, weight, 0.0)
        # Confusion matrix as one_hot(true)^T @ (weight * one_hot(pred)): rows are targets.
        true_hot = ops.one_hot(ops.where(in_range, y_true, 0), self.num_classes, dtype=self.dtype)
        pred_hot = ops.one_hot(ops.where(in_range, y_pred, 0), self.num_classes, dtype=self.dtype)
        batch_cm = ops.matmul(ops.transpose(true_hot), pred_hot * ops.expand_dims(weight, -1))
        self.total_cm.assign(self.total_cm.value + batch_cm)

    def result(self):
        cm = self.total_cm.value
        tp = ops.diagonal(cm)
        denominator = ops.sum(cm, axis=0) + ops.sum(cm, axis=1) - tp
        ids = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        tp, denominator = ops.take(tp, ids), ops.take(denominator, ids)
        valid = ops.greater(denominator, 1e-9)
        iou = ops.where(valid, tp / (denominator + config.epsilon()), 0.0)
        return ops.sum(iou) / (ops.sum(ops.cast(valid, self.dtype)) + config.epsilon())

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


@keras_name("keras.metrics.MeanIoU")
class MeanIoU(IoU):
    """IoU averaged over all `num_classes` classes. Args as `IoU` without `target_class_ids`."""

    _direction = "up"

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(num_classes, list(range(num_classes)), name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config_ = super().get_config()
        del config_["target_class_ids"]
        return config_


@keras_name("keras.metrics.BinaryIoU")
class BinaryIoU(IoU):
    """IoU of binary targets and probabilities, the predictions thresholded at `threshold`.

    Args:
        target_class_ids: Which of the classes 0 and 1 are averaged.
        threshold: Predictions `>= threshold` count as class 1.
        name: Name in logs.
        dtype: Dtype of the state.
    """

    _direction = "up"

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred, dtype="float32")
        super().update_state(y_true, ops.cast(y_pred >= self.threshold, "int32"), sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self._dtype}


@keras_name("keras.metrics.OneHotIoU")
class OneHotIoU(IoU):
    """IoU of one-hot targets and class scores (the arg max is the predicted class); args as
    `IoU` less `sparse_y_true`."""

    _direction = "up"

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config_ = super().get_config()
        del config_["sparse_y_true"]
        return config_


@keras_name("keras.metrics.OneHotMeanIoU")
class OneHotMeanIoU(MeanIoU):
    """Mean IoU over all classes of one-hot targets and class scores; args as `MeanIoU` less
    `sparse_y_true`."""

    _direction = "up"

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        config_ = super().get_config()
        del config_["sparse_y_true"]
        return config_
