"""`neokeras.optimizers`: by object (`SGD(...)`) or by name (`"sgd"`)."""

from neokeras.optimizers import experimental, legacy  # noqa: F401
from neokeras.optimizers import schedules  # noqa: F401
from neokeras.optimizers.adadelta import Adadelta
from neokeras.optimizers.adafactor import Adafactor
from neokeras.optimizers.adagrad import Adagrad
from neokeras.optimizers.adam import Adam
from neokeras.optimizers.adamax import Adamax
from neokeras.optimizers.adamw import AdamW
from neokeras.optimizers.ftrl import Ftrl
from neokeras.optimizers.lamb import Lamb
from neokeras.optimizers.lion import Lion
from neokeras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from neokeras.optimizers.multi_optimizer import MultiOptimizer
from neokeras.optimizers.multi_optimizer import OptimizerMap
from neokeras.optimizers.muon import Muon
from neokeras.optimizers.nadam import Nadam
from neokeras.optimizers.optimizer import Optimizer
from neokeras.optimizers.rmsprop import RMSprop
from neokeras.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from neokeras.optimizers.sgd import SGD

ALL_OPTIMIZERS = {cls.__name__.lower(): cls for cls in (
    SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Adafactor,
    ScheduleFreeAdamW, Muon)}
# As in Keras 3.15.1, `get("lamb")` is unknown; Lamb still deserializes by its registered name.


def get(identifier):
    """Resolves an optimizer from a name (`"adam"`), an instance or a serialized dict; None
    stays None.

    Raises:
        ValueError: for an unknown name, listing the valid ones.
    """
    if identifier is None:
        return None
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = ALL_OPTIMIZERS.get(identifier.lower())
        if cls is None:
            raise ValueError(
                f"Unknown optimizer {identifier!r}. Valid names: {sorted(ALL_OPTIMIZERS)}.")
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise TypeError(f"Could not interpret optimizer identifier: {identifier!r}. Expected a "
                    "name, an Optimizer instance or a serialized dict.")


def serialize(optimizer):
    """The Keras JSON dict of an optimizer."""
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """An optimizer from its Keras JSON dict (class names matched case-insensitively)."""
    from neokeras.saving.serialization import deserialize_keras_object

    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        cls = ALL_OPTIMIZERS.get(config["class_name"].lower())
        if cls is not None and "module" not in config:
            config = {**config, "class_name": cls.__name__}
    classes = {cls.__name__: cls for cls in ALL_OPTIMIZERS.values()}
    for cls in (LossScaleOptimizer, MultiOptimizer, OptimizerMap):
        classes[cls.__name__] = cls
    return deserialize_keras_object(config, module_objects=classes, custom_objects=custom_objects)
