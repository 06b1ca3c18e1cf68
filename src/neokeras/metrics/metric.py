"""`Metric`: a stateful, exactly accumulating measure (`update_state`, `result`, `reset_state`).

The state lives in variables, so the same code runs eagerly and inside compiled steps
(through `stateless_update_state` / `stateless_result`).
"""

from neokeras import backend
from neokeras import initializers
from neokeras.api_export import keras_name
from neokeras.backend.common import naming
from neokeras.backend.common.stateless_scope import StatelessScope


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
        """Sets every state variable back to zero."""
        from neokeras import ops

        for v in self._variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """Pure `update_state`: returns the new values of `self.variables`."""
        with StatelessScope(zip(self._variables, metric_variables)) as scope:
            self.update_state(*args, **kwargs)
        return [scope.current_value(v) for v in self._variables]

    def stateless_result(self, metric_variables):
        with StatelessScope(zip(self._variables, metric_variables)):
            return self.result()

    def __call__(self, *args, **kwargs):
        """Updates the state with one batch and returns the metric on that batch alone."""
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
