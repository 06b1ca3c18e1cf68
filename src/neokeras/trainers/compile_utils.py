"""What `compile` turns its arguments into: one loss callable and one set of metrics.

Both accept single outputs and structures of outputs (lists or dicts, matched by position or by
output name). Inside `padding_mask(weights)` both count only the rows whose weight is 1: that
is how a last partial batch, padded to the full batch size, still trains and evaluates exactly.
"""

import contextlib
import threading

from neokeras import losses as losses_module
from neokeras import metrics as metrics_module
from neokeras import ops
from neokeras.metrics.reduction_metrics import Mean, MeanMetricWrapper
from neokeras.utils import tree

_ACCURACY_NAMES = ("accuracy", "acc")
_PADDING = threading.local()


@contextlib.contextmanager
def padding_mask(weights):
    """Within it, compiled losses and metrics see only the rows where `weights` (a `(batch,)`
    array of 1s and 0s, or None for no padding) is 1."""
    previous = getattr(_PADDING, "weights", None)
    _PADDING.weights = weights
    try:
        yield
    finally:
        _PADDING.weights = previous


def current_padding_mask():
    return getattr(_PADDING, "weights", None)


def _rows_weight(rows, sample_weight):
    """The padding mask combined with `sample_weight` (either may be None)."""
    if rows is None or sample_weight is None:
        return rows if sample_weight is None else sample_weight
    sample_weight = ops.convert_to_tensor(sample_weight)
    rows = ops.reshape(ops.cast(rows, sample_weight.dtype),
                       (-1,) + (1,) * (len(sample_weight.shape) - 1))
    return sample_weight * rows


def _masked_loss(loss, y_true, y_pred, sample_weight, rows):
    """`loss(y_true, y_pred, sample_weight)` over the rows where `rows` is 1: the padding rows
    are masked out of the values before the loss's own reduction, so averages are over the
    real entries only, as on the unpadded batch."""
    if rows is None or type(loss).__call__ is not losses_module.Loss.__call__:
        return loss(y_true, y_pred, sample_weight=_rows_weight(rows, sample_weight))
    y_pred = ops.convert_to_tensor(y_pred, dtype=loss.dtype)
    values = loss.call(ops.convert_to_tensor(y_true), y_pred)
    mask = None
    if isinstance(values, tuple):
        values, mask = values
    values = ops.convert_to_tensor(values)
    row_mask = ops.broadcast_to(
        ops.reshape(ops.cast(rows, "bool"), (-1,) + (1,) * (len(values.shape) - 1)),
        values.shape)
    mask = row_mask if mask is None else ops.logical_and(ops.cast(mask, "bool"), row_mask)
    return losses_module.reduce_weighted_values(values, sample_weight, mask, loss.reduction,
                                                loss.dtype)


def _loss_object(identifier):
    loss = losses_module.get(identifier)
    if loss is None or isinstance(loss, losses_module.Loss):
        return loss
    return losses_module.LossFunctionWrapper(loss, name=getattr(loss, "__name__", "loss"))


def _match_outputs(spec, output_names, what):
    """Spreads a per-output `spec` (single, list or dict) over the outputs, in output order."""
    count = len(output_names)
    if isinstance(spec, dict):
        unknown = set(spec) - set(output_names)
        if unknown:
            raise ValueError(
                f"compile: {what} names unknown outputs {sorted(unknown)}; the model's outputs "
                f"are {output_names}.")
        return [spec.get(name) for name in output_names]
    if isinstance(spec, (list, tuple)) and count == 1 and len(spec) == 1:
        return list(spec)
    if isinstance(spec, (list, tuple)) and count > 1:
        if len(spec) != count:
            raise ValueError(
                f"compile: {what} has {len(spec)} entries but the model has {count} outputs.")
        return list(spec)
    return [spec] * count


class CompileLoss:
    """The training loss: a (weighted) sum of one loss per output.

    Args:
        loss: A loss identifier, or a list/dict of them (one per output).
        loss_weights: Optional list/dict of floats weighting each output's loss.
    """

    def __init__(self, loss, loss_weights=None):
        for identifier in _identifiers(loss):
            losses_module.get(identifier)  # unknown names fail at compile, not at fit
        self.loss = loss
        self.loss_weights = loss_weights
        self.built = False
        self.per_output = []

    def build(self, output_names):
        losses = _match_outputs(self.loss, output_names, "loss")
        weights = (_match_outputs(self.loss_weights, output_names, "loss_weights")
                   if self.loss_weights is not None else [1.0] * len(output_names))
        self.per_output = [(name, _loss_object(loss), 1.0 if w is None else float(w))
                           for name, loss, w in zip(output_names, losses, weights)]
        self.output_names = output_names
        self.built = True

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Returns `(total_loss, {output_name: loss})`."""
        y_true_list = _as_output_list(y_true, self.output_names)
        y_pred_list = _as_output_list(y_pred, self.output_names)
        sw_list = (_as_output_list(sample_weight, self.output_names)
                   if sample_weight is not None else [None] * len(self.output_names))
        total, parts = 0.0, {}
        for (name, loss, weight), yt, yp, sw in zip(self.per_output, y_true_list, y_pred_list, sw_list):
            if loss is None:
                continue
            if yt is None:
                raise ValueError(f"No target data was given for output '{name}' of the model.")
            value = _masked_loss(loss, yt, yp, sw, current_padding_mask())
            parts[name] = value
            total = total + weight * value
        return total, parts

    def reduces_batch(self, y_true, y_pred):
        """Whether a loss function returns one value for the whole batch (a Keras 2 custom
        loss ending in `K.mean`), so that padding rows could not be masked out of it."""
        y_true_list = _as_output_list(y_true, self.output_names)
        y_pred_list = _as_output_list(y_pred, self.output_names)
        return any(loss is not None and yt is not None
                   and not _per_sample_values(loss.call, yt, yp)
                   for (_, loss, _), yt, yp in zip(self.per_output, y_true_list, y_pred_list))


def _per_sample_values(fn, y_true, y_pred):
    """Whether `fn(y_true, y_pred)` keeps the batch axis (else it reduced over the batch)."""
    values = fn(ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred))
    if isinstance(values, tuple):
        values = values[0]
    return len(ops.shape(values)) > 0


def _as_output_list(structure, output_names):
    if len(output_names) == 1:
        if isinstance(structure, (list, tuple)) and len(structure) == 1:
            return [structure[0]]
        if isinstance(structure, dict) and len(structure) == 1:
            return list(structure.values())
        return [structure]
    if isinstance(structure, dict):
        return [structure.get(name) for name in output_names]
    if isinstance(structure, (list, tuple)):
        return list(structure)
    return [structure] * len(output_names)


def _identifiers(spec):
    """The leaf identifiers of a loss or metrics spec (single, list, dict, nested)."""
    if spec is None:
        return []
    if isinstance(spec, dict):
        return [leaf for value in spec.values() for leaf in _identifiers(value)]
    if isinstance(spec, (list, tuple)):
        return [leaf for value in spec for leaf in _identifiers(value)]
    return [spec]


def _resolve_metric(identifier, loss, y_true, y_pred):
    """One metric object, resolving `"accuracy"` from the loss and shapes as Keras does."""
    if isinstance(identifier, metrics_module.Metric):
        return identifier
    if isinstance(identifier, str) and identifier in _ACCURACY_NAMES:
        loss_fn = getattr(loss, "fn", loss)
        output_dim = y_pred.shape[-1] if len(y_pred.shape) else 1
        if loss_fn is losses_module.binary_crossentropy or output_dim == 1:
            fn = metrics_module.binary_accuracy
        elif (loss_fn is losses_module.sparse_categorical_crossentropy
              or len(y_true.shape) < len(y_pred.shape)
              or (len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == 1)):
            fn = metrics_module.sparse_categorical_accuracy
        else:
            fn = metrics_module.categorical_accuracy
        return MeanMetricWrapper(fn, name=identifier)
    resolved = metrics_module.get(identifier)
    if isinstance(resolved, metrics_module.Metric):
        if isinstance(identifier, str):
            resolved.name = identifier  # Keras names a metric given by name after that name
        return resolved
    name = identifier if isinstance(identifier, str) else getattr(resolved, "__name__", "metric")
    return _AlignedMetricWrapper(resolved, name=name)


class _AlignedMetricWrapper(MeanMetricWrapper):
    """A metric function given to `compile`, called as Keras 2 called it: with `y_true` and
    `y_pred` of the same rank (`(n,)` targets against `(n, 1)` outputs become `(n, 1)`), as
    the losses see them, so that elementwise comparisons do not broadcast to `(n, n)`."""

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _same_rank(y_true, y_pred)
        super().update_state(y_true, y_pred, sample_weight=sample_weight)


def _same_rank(y_true, y_pred):
    return losses_module.squeeze_or_expand_to_same_rank(
        ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred))


class CompileMetrics:
    """The compiled metrics of every output, built on the first batch (shapes decide what
    `"accuracy"` means).

    Args:
        metrics: A list of metric identifiers, or a list/dict of such lists per output.
        weighted_metrics: Same, but updated with the sample weights.
    """

    def __init__(self, metrics=None, weighted_metrics=None):
        for identifier in _identifiers(metrics) + _identifiers(weighted_metrics):
            if not (isinstance(identifier, str) and identifier in _ACCURACY_NAMES):
                metrics_module.get(identifier)  # unknown names fail at compile, not at fit
        self.metrics = metrics
        self.weighted_metrics = weighted_metrics
        self.built = False
        self._entries = []  # (output_index, metric, weighted)

    def build(self, output_names, compile_loss, y_true, y_pred):
        y_true_list = _as_output_list(y_true, output_names)
        y_pred_list = _as_output_list(y_pred, output_names)
        losses = [loss for _, loss, _ in compile_loss.per_output] if compile_loss else [None] * len(output_names)
        self._entries = []
        counters = {}
        for spec, weighted in ((self.metrics, False), (self.weighted_metrics, True)):
            if not spec:
                continue
            per_output = (_match_outputs(spec, output_names, "metrics")
                          if isinstance(spec, dict) or (len(output_names) > 1 and _is_list_of_lists(spec))
                          else [spec] * len(output_names))
            for index, identifiers in enumerate(per_output):
                if identifiers is None:
                    continue
                if not isinstance(identifiers, (list, tuple)):
                    identifiers = [identifiers]
                for identifier in identifiers:
                    metric = _resolve_metric(identifier, losses[index], y_true_list[index],
                                             y_pred_list[index])
                    if not getattr(metric, "built", True):  # data-shaped state (F1Score, ...)
                        metric.build(tuple(y_true_list[index].shape),
                                     tuple(y_pred_list[index].shape))
                    prefix = f"{output_names[index]}_" if len(output_names) > 1 else ""
                    metric.name = _unique_log_name(counters, prefix, metric.name, weighted)
                    self._entries.append((index, metric, weighted))
        self.output_names = output_names
        self.built = True

    @property
    def metric_objects(self):
        return [metric for _, metric, _ in self._entries]

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true_list = _as_output_list(y_true, self.output_names)
        y_pred_list = _as_output_list(y_pred, self.output_names)
        sw_list = (_as_output_list(sample_weight, self.output_names)
                   if sample_weight is not None else [None] * len(self.output_names))
        rows = current_padding_mask()
        for index, metric, weighted in self._entries:
            metric.update_state(y_true_list[index], y_pred_list[index],
                                sample_weight=_rows_weight(rows, sw_list[index] if weighted
                                                           else None))


    def reduces_batch(self, y_true, y_pred):
        """Whether a metric function returns one value for the whole batch (see
        `CompileLoss.reduces_batch`)."""
        y_true_list = _as_output_list(y_true, self.output_names)
        y_pred_list = _as_output_list(y_pred, self.output_names)
        # A metric computed in Python on the host (`PyMetric`) cannot be masked either.
        if any(getattr(metric, "_host_metric", False) for _, metric, _ in self._entries):
            return True
        return any(isinstance(metric, MeanMetricWrapper) and y_true_list[index] is not None
                   and not _per_sample_values(
                       lambda yt, yp, m=metric: m._fn(*_same_rank(yt, yp), **m._fn_kwargs),
                       y_true_list[index], y_pred_list[index])
                   for index, metric, _ in self._entries)


def _unique_log_name(counters, prefix, name, weighted):
    """The logs key of a compiled metric, as Keras 3 names them: `prefix + name`; a repeated
    name gets `_1`, `_2`, ... appended, except that a weighted metric first becomes
    `prefix + "weighted_" + name` (`mae` and `weighted_mae` from metrics=["mae"],
    weighted_metrics=["mae"])."""
    key = prefix + name
    if key not in counters:
        counters[key] = 1
        return key
    if weighted:
        key = f"{prefix}weighted_{name}"
        if key not in counters:
            counters[key] = 1
            return key
    index = counters[key]
    counters[key] += 1
    return f"{key}_{index}"


def _is_list_of_lists(spec):
    return isinstance(spec, (list, tuple)) and spec and all(
        isinstance(s, (list, tuple)) or s is None for s in spec)


def loss_tracker():
    return Mean(name="loss")


def batch_size_of(x):
    """The number of real rows of the batch `x` (without padding rows)."""
    rows = current_padding_mask()
    if rows is not None:
        return ops.sum(ops.cast(rows, "float32"))
    return next(leaf for leaf in tree.flatten(x) if leaf is not None).shape[0]
