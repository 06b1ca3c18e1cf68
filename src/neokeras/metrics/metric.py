"""`Metric`: a stateful, exactly accumulating measure (`update_state`, `result`, `reset_state`).

The state lives in variables, so the same code runs eagerly and inside compiled steps
(through `stateless_update_state` / `stateless_result`).
"""

import numpy as np

from neokeras import backend
from neokeras import initializers
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.backend.common import naming
from neokeras.backend.common.stateless_scope import StatelessScope
from neokeras.backend.common.stateless_scope import current_stateless_scope


@keras_name("keras.metrics.Metric")
class Metric:
    """Base class of stateful metrics.

    Args:
        name: Name in logs (default: snake_case of the class name).
        dtype: Dtype of the state and result.
    """

    def __init__(self, name=None, dtype=None):
        self.name = name or naming.to_snake_case(type(self).__name__)
        self._dtype = backend.standardize_dtype(dtype)
        self._variables = []
        self.built = True

    def build(self, y_true_shape, y_pred_shape):
        """Creates state whose shape depends on the data (e.g. one counter per class).

        `compile` calls it with the target and output shapes before the training step is traced;
        eager `update_state` calls it on first use. Metrics with fixed-shape state need nothing.
        """
        self.built = True

    def _build_on_first_update(self, y_true, y_pred):
        if self.built:
            return
        if current_stateless_scope() is not None:
            raise RuntimeError(
                f"{type(self).__name__} '{self.name}' creates its state from the data shape and "
                "was first updated inside a compiled step. Call "
                f"`metric.build(y_true_shape, y_pred_shape)` (or update it once eagerly) first.")
        self.build(tuple(y_true.shape), tuple(y_pred.shape))

    @property
    def dtype(self):
        return self._dtype

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None):
        """Creates a state variable (not trainable, not part of model weights)."""
        variable = backend.Variable(initializers.get(initializer), shape=tuple(shape),
                                    dtype=dtype or self._dtype, trainable=False,
                                    name=name, path=f"{self.name}/{name}")
        self._variables.append(variable)
        return variable

    add_weight = add_variable

    @property
    def variables(self):
        return list(self._variables)

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        """Sets every state variable back to zero (all metric state here starts at zero)."""
        # Zeros made on the host: run eagerly, `ops.zeros` compiles a program per shape.
        for v in self._variables:
            v.assign(np.zeros(v.shape, dtype=v.dtype))

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """Pure `update_state`: returns the new values of `self.variables`."""
        with StatelessScope(zip(self._variables, metric_variables)) as scope:
            self.update_state(*args, **kwargs)
        return [scope.current_value(v) for v in self._variables]

    def stateless_reset_state(self):
        """Pure `reset_state`: returns the reset values of `self.variables`."""
        with StatelessScope(zip(self._variables, [v.value for v in self._variables])) as scope:
            self.reset_state()
        return [scope.current_value(v) for v in self._variables]

    def stateless_result(self, metric_variables):
        with StatelessScope(zip(self._variables, metric_variables)):
            return self.result()

    def __call__(self, *args, **kwargs):
        """Updates the state with one batch and returns the metric on that batch alone."""
        if not self.built and len(args) >= 2:
            self.build(tuple(ops.shape(args[0])), tuple(ops.shape(args[1])))
        values = [v.value * 0 for v in self._variables]
        values = self.stateless_update_state(values, *args, **kwargs)
        self.update_state(*args, **kwargs)
        return self.stateless_result(values)

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
