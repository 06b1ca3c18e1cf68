"""Weight constraints: projections applied to a variable after each optimizer update."""

import numpy as np

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


@keras_name("keras.constraints.RadialConstraint", "keras.constraints.radial_constraint")
class RadialConstraint(Constraint):
    """tf-keras's constraint making a square `Conv2D` kernel constant on each ring around its
    centre (separately for every input and output channel).

    The kernel has shape `(size, size, input_depth, output_depth)`. Each ring takes the value
    of one diagonal entry, as tf-keras picks them: with `s = size // 2`, the centre (one entry
    for odd sizes, a 2x2 block for even ones) takes entry `s - 1`, and the k-th ring around it
    entry `s + k - 1` (odd sizes) or `s + k` (even sizes). So a 4x4 kernel becomes

        [[v33, v33, v33, v33],
         [v33, v11, v11, v33],
         [v33, v11, v11, v33],
         [v33, v33, v33, v33]]
    """

    def __call__(self, w):
        shape = tuple(w.shape)
        if len(shape) != 4:
            raise ValueError("The weight tensor must have rank 4. Received weight tensor with "
                             f"shape: {shape}")
        size = shape[0]
        if shape[1] != size or size < 2:
            raise ValueError("RadialConstraint: the kernel must be square and at least 2x2 "
                             f"(shape (size, size, input_depth, output_depth)). Received "
                             f"shape: {shape}")
        flat = ops.reshape(w, (size * size,) + shape[2:])
        source = _radial_sources(size)
        return ops.reshape(ops.take(flat, source * size + source, axis=0), shape)


def _radial_sources(size):
    """For each kernel position, the index of the diagonal entry whose value it takes."""
    half = size // 2
    positions = np.arange(size)
    if size % 2:
        distance = np.abs(positions - half)
        offset = -1
    else:  # the central 2x2 block is ring 0
        distance = np.where(positions < half, half - 1 - positions, positions - half)
        offset = 0
    ring = np.maximum(distance[:, None], distance[None, :])
    return np.where(ring == 0, half - 1, half + ring + offset).reshape(-1)


max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
radial_constraint = RadialConstraint
_BY_NAME = {"max_norm": MaxNorm, "min_max_norm": MinMaxNorm, "non_neg": NonNeg,
            "unit_norm": UnitNorm, "radial_constraint": RadialConstraint, "MaxNorm": MaxNorm,
            "MinMaxNorm": MinMaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm,
            "RadialConstraint": RadialConstraint, "Constraint": Constraint}


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
