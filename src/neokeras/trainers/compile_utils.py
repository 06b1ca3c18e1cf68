"""What `compile` turns its arguments into: one loss callable and one set of metrics.

Both accept single outputs and structures of outputs (lists or dicts, matched by position or by
output name).
"""

from neokeras import losses as losses_module
from neokeras import metrics as metrics_module
from neokeras import ops
from neokeras.metrics.reduction_metrics import Mean, MeanMetricWrapper
from neokeras.utils import tree

_ACCURACY_NAMES = ("accuracy", "acc")


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
            value = loss(yt, yp, sample_weight=sw)
            parts[name] = value
            total = total + weight * value
        return total, parts


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
        return resolved
    name = identifier if isinstance(identifier, str) else getattr(resolved, "__name__", "metric")
    return MeanMetricWrapper(resolved, name=name)


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
                    if len(output_names) > 1:
                        metric.name = f"{output_names[index]}_{metric.name}"
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
        for index, metric, weighted in self._entries:
            metric.update_state(y_true_list[index], y_pred_list[index],
                                sample_weight=sw_list[index] if weighted else None)


def _is_list_of_lists(spec):
    return isinstance(spec, (list, tuple)) and spec and all(
        isinstance(s, (list, tuple)) or s is None for s in spec)


def loss_tracker():
    return Mean(name="loss")


def batch_size_of(x):
    return int(ops.convert_to_tensor(tree.flatten(x)[0]).shape[0])
