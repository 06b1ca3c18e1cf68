"""Distillation losses: how a student's outputs or features are pulled towards a teacher's."""

from neokeras import losses
from neokeras import ops
from neokeras import tree
from neokeras.api_export import keras_name
from neokeras.saving import serialization


def _loss_function(loss):
    """A loss name resolved to its function (as `losses.get` does); objects and None kept."""
    if loss is None or not isinstance(loss, str):
        return loss
    function = losses.get(loss)
    if function is None:
        raise ValueError(f"Unknown loss function: '{loss}'.")
    return function


def _loss_functions(loss, owner):
    resolved = tree.map_structure(_loss_function, loss)
    if all(item is None for item in tree.flatten(resolved)):
        raise ValueError(f"{owner}: `loss` must hold at least one loss that is not None. "
                         f"Received: loss={loss!r}")
    return resolved


def _summed(values):
    return ops.sum(ops.stack(tree.flatten(values)))


@keras_name("keras.distillation.DistillationLoss")
class DistillationLoss:
    """Base class of distillation losses: subclasses implement `compute_loss`.

    A `Distiller` calls `validate_model_compatibility(teacher, student)` once, then per batch
    `validate_outputs(teacher_outputs, student_outputs)` and `compute_loss(teacher_outputs,
    student_outputs)`, which must return a scalar.
    """

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """The scalar loss between the teacher's and the student's outputs (or features)."""
        raise NotImplementedError(f"{type(self).__name__} must implement compute_loss().")

    def validate_outputs(self, teacher_outputs, student_outputs):
        """Raises if the two outputs do not have the same structure."""
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher, student):
        """Raises if this loss cannot be used with these models (the base accepts any)."""


@keras_name("keras.distillation.FeatureDistillation")
class FeatureDistillation(DistillationLoss):
    """Matches the student's features to the teacher's: `mean(loss(teacher, student))`.

    Args:
        loss: Loss name, function or `Loss` (default `"mse"`), or a structure of them matching
            the features; `None` entries skip those features.
        teacher_layer_name: Layer of the teacher whose output is used (None: the final
            output). Named layers need Functional or Sequential models.
        student_layer_name: Layer of the student whose output is used (None: the final output).
    """

    def __init__(self, loss="mse", teacher_layer_name=None, student_layer_name=None):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = _loss_functions(loss, "FeatureDistillation")

    def validate_model_compatibility(self, teacher, student):
        if self.teacher_layer_name is not None or self.student_layer_name is not None:
            subclassed = [role for role, model in (("teacher", teacher), ("student", student))
                          if getattr(model, "inputs", None) is None]
            if subclassed:
                raise ValueError(
                    "FeatureDistillation with layer names needs Functional or Sequential "
                    f"models, but the {' and '.join(subclassed)} model(s) have no symbolic "
                    "inputs (subclassed). Distill the final outputs (no layer names) or use "
                    "LogitsDistillation.")
        for role, model, name in (("teacher", teacher, self.teacher_layer_name),
                                  ("student", student, self.student_layer_name)):
            if name is not None:
                try:
                    model.get_layer(name=name)
                except ValueError as error:
                    raise ValueError(f"In {role} model: {error}") from None

    def validate_outputs(self, teacher_outputs, student_outputs):
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except ValueError as error:
            raise ValueError(
                "FeatureDistillation: the structure of `loss` does not match the features. "
                f"Loss structure: {tree.map_structure(lambda _: '*', self.loss)}, features: "
                f"{tree.map_structure(lambda _: '*', teacher_outputs)}. {error}") from None

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        def one(loss, teacher, student):
            return 0.0 if loss is None else ops.mean(loss(teacher, student))

        return _summed(tree.map_structure(one, self.loss, teacher_outputs, student_outputs))

    def get_config(self):
        return {"loss": losses.serialize(self.loss),
                "teacher_layer_name": self.teacher_layer_name,
                "student_layer_name": self.student_layer_name}

    @classmethod
    def from_config(cls, config):
        return cls(**{**config, "loss": losses.deserialize(config["loss"])})


@keras_name("keras.distillation.LogitsDistillation")
class LogitsDistillation(DistillationLoss):
    """Matches the student's logits to the teacher's, both divided by a temperature.

    With a `KLDivergence` instance as the loss, both are turned into probabilities by a
    softmax and the loss is scaled by `temperature ** 2`; any other loss (a name, such as the
    default `"kl_divergence"`, resolves to a function) sees the scaled logits as they are.

    Args:
        temperature: Positive number dividing the logits (default 3.0).
        loss: Loss name, function or `Loss`, or a structure of them matching the outputs;
            `None` entries skip those outputs.
    """

    def __init__(self, temperature=3.0, loss="kl_divergence"):
        self.temperature = temperature
        self.loss = _loss_functions(loss, "LogitsDistillation")
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
            raise ValueError(f"LogitsDistillation: temperature must be a number. Received: "
                             f"temperature={temperature!r}")
        if temperature <= 0:
            raise ValueError(f"LogitsDistillation: temperature must be positive. Received: "
                             f"temperature={temperature!r}")

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        def scaled(outputs):
            return tree.map_structure(lambda x: ops.divide(x, self.temperature), outputs)

        def one(loss, teacher, student):
            if loss is None:
                return 0.0
            if isinstance(loss, losses.KLDivergence):
                value = ops.mean(loss(ops.softmax(teacher, axis=-1),
                                      ops.softmax(student, axis=-1)))
                return value * self.temperature ** 2
            return ops.mean(loss(teacher, student))

        return _summed(tree.map_structure(one, self.loss, scaled(teacher_outputs),
                                          scaled(student_outputs)))

    def get_config(self):
        return {"temperature": self.temperature,
                "loss": serialization.serialize_keras_object(self.loss)}

    @classmethod
    def from_config(cls, config):
        return cls(**{**config, "loss": losses.deserialize(config["loss"])})
