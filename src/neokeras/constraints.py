"""Weight constraints: projections applied to a variable after each optimizer update."""

from neokeras import config
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
    def from_config(cls, config_):
        return cls(**config_)


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


@keras_name("keras.constraints.MaxNorm", "keras.constraints.max_norm")
class MaxNorm(Constraint):
    """Rescales each slice along `axis` whose L2 norm exceeds `max_value` down to `max_value`.

    Args:
        max_value: Largest allowed norm (default 2).
        axis: Axis (or axes) the norm is computed over; 0 for a Dense kernel means one norm per
            output unit, `[0, 1, 2]` for a Conv2D kernel.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = ops.clip(norms, 0.0, self.max_value)
        return w * desired / (config.epsilon() + norms)

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@keras_name("keras.constraints.MinMaxNorm", "keras.constraints.min_max_norm")
class MinMaxNorm(Constraint):
    """Moves the L2 norm of each slice along `axis` into `[min_value, max_value]`.

    Args:
        min_value: Smallest allowed norm.
        max_value: Largest allowed norm.
        rate: Fraction of the way to move each step (1.0 projects at once).
        axis: Axis (or axes) the norm is computed over.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        if min_value > max_value:
            raise ValueError(f"MinMaxNorm: `min_value` ({min_value}) must not exceed "
                             f"`max_value` ({max_value}).")
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = self.rate * ops.clip(norms, self.min_value, self.max_value) \
            + (1.0 - self.rate) * norms
        return w * desired / (config.epsilon() + norms)

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


@keras_name("keras.constraints.NonNeg", "keras.constraints.non_neg")
class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        return w * ops.cast(ops.greater_equal(w, 0.0), w.dtype)


@keras_name("keras.constraints.UnitNorm", "keras.constraints.unit_norm")
class UnitNorm(Constraint):
    """Scales each slice along `axis` to unit L2 norm.

    Args:
        axis: Axis (or axes) the norm is computed over.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (config.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
_BY_NAME = {"max_norm": MaxNorm, "min_max_norm": MinMaxNorm, "non_neg": NonNeg,
            "unit_norm": UnitNorm, "MaxNorm": MaxNorm, "MinMaxNorm": MinMaxNorm,
            "NonNeg": NonNeg, "UnitNorm": UnitNorm, "Constraint": Constraint}


def get(identifier):
    """Resolves a constraint from None, a name (`"non_neg"`), a dict, or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Unknown constraint {identifier!r}. Known: {sorted(_BY_NAME)}.")
        return _BY_NAME[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret constraint identifier: {identifier!r}")


def serialize(constraint):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(constraint)


def deserialize(config_, custom_objects=None):
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config_, module_objects=_BY_NAME,
                                    custom_objects=custom_objects)
