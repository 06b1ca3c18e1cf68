"""`neokeras.optimizers`: by object (`SGD(...)`) or by name (`"sgd"`)."""

from neokeras.optimizers import schedules  # noqa: F401
from neokeras.optimizers.adam import Adam  # noqa: F401
from neokeras.optimizers.optimizer import Optimizer  # noqa: F401
from neokeras.optimizers.rmsprop import RMSprop  # noqa: F401
from neokeras.optimizers.sgd import SGD  # noqa: F401

ALL_OPTIMIZERS = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def get(identifier):
    """Resolves an optimizer from a name (`"adam"`), an instance or a serialized dict.

    Raises:
        ValueError: for an unknown name, listing the valid ones.
    """
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
    raise TypeError(f"Could not interpret optimizer identifier: {identifier!r}")


def serialize(optimizer):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    from neokeras.saving.serialization import deserialize_keras_object

    classes = {cls.__name__: cls for cls in ALL_OPTIMIZERS.values()}
    return deserialize_keras_object(config, module_objects=classes, custom_objects=custom_objects)
