"""Weight constraints, applied to a variable after each optimizer update."""

from neokeras import ops
from neokeras.api_export import keras_name


@keras_name("keras.constraints.Constraint")
class Constraint:
    """Base class: `constraint(w)` returns the projected weights."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_name("keras.constraints.NonNeg")
class NonNeg(Constraint):
    """Clips weights to be non-negative."""

    def __call__(self, w):
        return ops.maximum(w, 0.0)


non_neg = NonNeg
_BY_NAME = {"non_neg": NonNeg, "NonNeg": NonNeg}


def get(identifier):
    """Resolves a constraint from None, a name, a dict, or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Unknown constraint {identifier!r}. Known: {sorted(_BY_NAME)}.")
        return _BY_NAME[identifier]()
    if isinstance(identifier, dict):
        from neokeras.saving.serialization import deserialize_keras_object

        return deserialize_keras_object(identifier, module_objects=_BY_NAME)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret constraint identifier: {identifier!r}")


def serialize(constraint):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(constraint)
