"""`Distiller`: a model that trains a student on labels and on a frozen teacher's outputs."""

from neokeras import metrics
from neokeras import ops
from neokeras import tree
from neokeras.api_export import keras_name
from neokeras.distillation.distillation_loss import _loss_function
from neokeras.models.model import Model
from neokeras.models.sequential import Sequential
from neokeras.saving import serialization

_FINAL = "final_output"


@keras_name("keras.distillation.Distiller")
class Distiller(Model):
    """Knowledge distillation: the student learns from labels and from a frozen teacher.

    The training loss is `student_loss_weight * student_loss + (1 - student_loss_weight) *
    sum(weight_i * distillation_loss_i)`, where the student loss compares the labels with the
    student's outputs (the loss given to `compile`) and each distillation loss compares teacher
    and student outputs or features. Calling the distiller calls the student. Logs
    `student_loss`, `distillation_loss` and `total_loss` besides the compiled metrics.

    Args:
        teacher: A trained `Model` (frozen here: `teacher.trainable = False`).
        student: The `Model` to train.
        distillation_losses: A `DistillationLoss` (`LogitsDistillation`,
            `FeatureDistillation`, ...) or a list of them.
        distillation_loss_weights: Weights of the distillation losses (default all 1.0).
        student_loss_weight: Weight in [0, 1] of the student's own loss (default 0.5).
        name: Name of the model (default `"distiller"`).

    Example:

    >>> distiller = Distiller(teacher, student, LogitsDistillation(temperature=3.0))
    >>> distiller.compile("adam", loss="sparse_categorical_crossentropy")
    >>> distiller.fit(x, y)
    >>> trained = distiller.student
    """

    def __init__(self, teacher, student, distillation_losses, distillation_loss_weights=None,
                 student_loss_weight=0.5, name="distiller", **kwargs):
        super().__init__(name=name, **kwargs)
        _check_models(teacher, student)
        self.teacher = teacher
        self.student = student
        if isinstance(student_loss_weight, bool) or not isinstance(
                student_loss_weight, (int, float)) or not 0.0 <= student_loss_weight <= 1.0:
            raise ValueError("Distiller: student_loss_weight must be a number in [0, 1]. "
                             f"Received: student_loss_weight={student_loss_weight!r}")
        self.student_loss_weight = student_loss_weight
        if distillation_losses is None:
            raise ValueError("Distiller: distillation_losses cannot be None; give a "
                             "DistillationLoss (e.g. LogitsDistillation) or a list of them.")
        if isinstance(distillation_losses, (list, tuple)):
            distillation_losses = list(distillation_losses)
            if distillation_loss_weights is None:
                distillation_loss_weights = [1.0] * len(distillation_losses)
            elif len(distillation_loss_weights) != len(distillation_losses):
                raise ValueError(
                    f"Distiller: {len(distillation_loss_weights)} distillation_loss_weights "
                    f"for {len(distillation_losses)} distillation_losses; give one each.")
        else:
            distillation_losses, distillation_loss_weights = [distillation_losses], [1.0]
        self.distillation_losses = distillation_losses
        self.distillation_loss_weights = list(distillation_loss_weights)
        for loss in self.distillation_losses:
            loss.validate_model_compatibility(teacher, student)
        self._teacher_features = _feature_model(
            teacher, [getattr(loss, "teacher_layer_name", None) for loss in distillation_losses])
        self._student_features = _feature_model(
            student, [getattr(loss, "student_layer_name", None) for loss in distillation_losses])
        self.teacher.trainable = False
        self.student_loss_tracker = metrics.Mean(name="student_loss")
        self.distillation_loss_tracker = metrics.Mean(name="distillation_loss")
        self.total_loss_tracker = metrics.Mean(name="total_loss")

    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs):
        """Configures training; `loss` is the student's loss on the labels (required)."""
        if loss is None:
            raise ValueError("Distiller.compile: `loss` (the student's loss on the labels) "
                             "cannot be None.")
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError("Distiller.compile: metrics must be a list or tuple. Received: "
                             f"{type(metrics).__name__}")
        self._student_loss = tree.map_structure(_loss_function, loss)
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)

    def call(self, inputs, training=None, **kwargs):
        return self.student(inputs, training=training, **kwargs)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """`student_loss_weight * student_loss + (1 - student_loss_weight) * distillation`;
        updates the `student_loss`, `distillation_loss` and `total_loss` trackers."""
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            values = tree.flatten(tree.map_structure(
                lambda loss, target, output: loss(target, output), self._student_loss, y,
                y_pred))
            student_loss = ops.sum(ops.stack(values)) if len(values) > 1 else values[0]
            if len(getattr(student_loss, "shape", ())) > 0:
                student_loss = ops.mean(student_loss)
        distillation_loss = 0.0
        if self.student_loss_weight < 1.0:
            teacher = self._features(self.teacher, self._teacher_features, x, False)
            student = ({_FINAL: y_pred} if self._student_features is None
                       else self._features(self.student, self._student_features, x, True))
            for loss, weight in zip(self.distillation_losses, self.distillation_loss_weights):
                teacher_name = getattr(loss, "teacher_layer_name", None)
                if teacher_name is None:
                    pair = teacher[_FINAL], y_pred
                else:
                    pair = teacher[teacher_name], student[
                        getattr(loss, "student_layer_name", None) or _FINAL]
                loss.validate_outputs(*pair)
                value = loss.compute_loss(*pair)
                if len(getattr(value, "shape", ())) > 0:
                    raise ValueError(
                        f"Distillation loss {type(loss).__name__} returned a loss of shape "
                        f"{tuple(value.shape)}; compute_loss must return a scalar.")
                distillation_loss = ops.add(distillation_loss, ops.multiply(weight, value))
        total = ops.add(ops.multiply(self.student_loss_weight, student_loss),
                        ops.multiply(1.0 - self.student_loss_weight, distillation_loss))
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.total_loss_tracker.update_state(total)
        return total

    @staticmethod
    def _features(model, extractor, x, training):
        if extractor is None:
            return {_FINAL: model(x, training=training)}
        return extractor(x, training=training)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "dtype": serialization.serialize_keras_object(self.dtype_policy),
                "teacher": serialization.serialize_keras_object(self.teacher),
                "student": serialization.serialize_keras_object(self.student),
                "distillation_losses": [serialization.serialize_keras_object(loss)
                                        for loss in self.distillation_losses],
                "distillation_loss_weights": self.distillation_loss_weights,
                "student_loss_weight": self.student_loss_weight}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("teacher", "student"):
            config[key] = serialization.deserialize_keras_object(
                config[key], custom_objects=custom_objects)
        config["distillation_losses"] = [
            serialization.deserialize_keras_object(loss, custom_objects=custom_objects)
            for loss in config["distillation_losses"]]
        return cls(**config)


def _check_models(teacher, student):
    for role, model in (("teacher", teacher), ("student", student)):
        if not isinstance(model, Model):
            raise ValueError(f"Distiller: the {role} must be a keras Model. Received: "
                             f"{type(model).__name__}")
    for kind in ("inputs", "outputs"):
        ours, theirs = getattr(teacher, kind, None), getattr(student, kind, None)
        if ours is None or theirs is None:
            continue
        for a, b in zip(tree.flatten(ours), tree.flatten(theirs)):
            if len(a.shape) != len(b.shape) or any(
                    x is not None and y is not None and x != y for x, y in zip(a.shape, b.shape)):
                raise ValueError(f"Distiller: teacher and student {kind[:-1]} shapes are "
                                 f"incompatible. Teacher: {a.shape}, student: {b.shape}.")
            if a.dtype != b.dtype:
                raise ValueError(f"Distiller: teacher and student {kind[:-1]} dtypes must "
                                 f"match. Teacher: {a.dtype}, student: {b.dtype}.")


def _feature_model(model, layer_names):
    """A functional model giving `model`'s final output and the outputs of the named layers
    in one pass (None when no layer is named)."""
    names = list(dict.fromkeys(name for name in layer_names if name))
    if not names:
        return None
    if getattr(model, "inputs", None) is None:
        raise ValueError(f"Distiller: cannot read features of model '{model.name}', which has "
                         "no symbolic inputs.")
    final = model.layers[-1].output if isinstance(model, Sequential) else model.output
    outputs = {_FINAL: final}
    outputs.update({name: model.get_layer(name=name).output for name in names})
    return Model(inputs=model.inputs, outputs=outputs,
                 name=f"{model.name}_multi_feature_extractor")
