"""`neokeras.distillation`: training a student model from a teacher's outputs and features."""

from neokeras.distillation.distillation_loss import DistillationLoss  # noqa: F401
from neokeras.distillation.distillation_loss import FeatureDistillation  # noqa: F401
from neokeras.distillation.distillation_loss import LogitsDistillation  # noqa: F401
from neokeras.distillation.distiller import Distiller  # noqa: F401
