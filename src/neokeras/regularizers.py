"""Weight and activity regularizers: penalties added to the training loss.

A layer's `kernel_regularizer`/`bias_regularizer` feed `layer.losses` through the variable's
`regularizer`; `activity_regularizer` penalizes the layer's outputs.
"""

import math

from neokeras import ops
from neokeras.api_export import keras_name


def _check_factor(value, owner, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
            value) or value < 0:
        raise ValueError(f"{owner}: `{name}` must be a finite float >= 0. Received: "
                         f"{name}={value!r}")
    return float(value)


@keras_name("keras.regularizers.Regularizer")
class Regularizer:
    """Base class: `regularizer(x)` returns a scalar penalty for the tensor `x`."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config().")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras_name("keras.regularizers.L1L2", "keras.regularizers.l1_l2")
class L1L2(Regularizer):
    """`l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
        l1: L1 factor (default 0).
        l2: L2 factor (default 0).
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor(l1, "L1L2", "l1")
        self.l2 = _check_factor(l2, "L1L2", "l2")

    def __call__(self, x):
        penalty = ops.convert_to_tensor(0.0)
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


@keras_name("keras.regularizers.L1", "keras.regularizers.l1")
class L1(Regularizer):
    """`l1 * sum(abs(x))`.

    Args:
        l1: The factor (default 0.01).
    """

    def __init__(self, l1=0.01):
        self.l1 = _check_factor(l1, "L1", "l1")

    def __call__(self, x):
        return self.l1 * ops.sum(ops.abs(x))

    def get_config(self):
        return {"l1": self.l1}


@keras_name("keras.regularizers.L2", "keras.regularizers.l2")
class L2(Regularizer):
    """`l2 * sum(square(x))`.

    Args:
        l2: The factor (default 0.01).
    """

    def __init__(self, l2=0.01):
        self.l2 = _check_factor(l2, "L2", "l2")

    def __call__(self, x):
        return self.l2 * ops.sum(ops.square(x))

    def get_config(self):
        return {"l2": self.l2}


@keras_name("keras.regularizers.OrthogonalRegularizer",
            "keras.regularizers.orthogonal_regularizer")
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2D weight towards being mutually orthogonal.

    The penalty is `factor * mean(abs(cos(v_i, v_j)))` over the pairs `i < j` of rows (or
    columns).

    Args:
        factor: The factor (default 0.01).
        mode: `"rows"` or `"columns"`.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _check_factor(factor, "OrthogonalRegularizer", "factor")
        if mode not in ("rows", "columns"):
            raise ValueError("OrthogonalRegularizer: `mode` must be 'rows' or 'columns'. "
                             f"Received: mode={mode!r}")
        self.mode = mode

    def __call__(self, x):
        if len(x.shape) != 2:
            raise ValueError("OrthogonalRegularizer expects a 2D weight. Received a tensor of "
                             f"shape {tuple(x.shape)}.")
        vectors = x if self.mode == "rows" else ops.transpose(x)
        norms = ops.sqrt(ops.maximum(ops.sum(ops.square(vectors), axis=1, keepdims=True), 1e-12))
        unit = vectors / norms
        n = vectors.shape[0]
        cosines = ops.matmul(unit, ops.transpose(unit)) * (1.0 - ops.eye(n, dtype=x.dtype))
        num_pairs = n * (n - 1) / 2.0
        # The off-diagonal sum counts every pair twice, hence the 0.5.
        return self.factor * 0.5 * ops.sum(ops.abs(cosines)) / num_pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer
_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer,
            "L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer,
            "Regularizer": Regularizer}


def get(identifier):
    """Resolves a regularizer from None, a name (`"l2"`), a dict, or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            from neokeras.saving.object_registration import get_custom_object

            found = get_custom_object(identifier)
            if found is None:
                raise ValueError(f"Unknown regularizer {identifier!r}. Known: "
                                 f"{sorted(_BY_NAME)}.")
            return found() if isinstance(found, type) else found
        return _BY_NAME[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret regularizer identifier: {identifier!r}")


def serialize(regularizer):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects=_BY_NAME,
                                    custom_objects=custom_objects)
