"""`neokeras.mixed_precision`: dtype policies and loss scaling under their Keras 2 and Keras 3
names (`keras.mixed_precision`)."""

from neokeras.dtype_policies.dtype_policy import DTypePolicy  # noqa: F401
from neokeras.dtype_policies.dtype_policy import dtype_policy  # noqa: F401
from neokeras.dtype_policies.dtype_policy import set_dtype_policy  # noqa: F401
from neokeras.optimizers.loss_scale_optimizer import LossScaleOptimizer  # noqa: F401

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy
