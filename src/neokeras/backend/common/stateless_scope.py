"""The stateless scope: lets stateful-looking code run as a pure function.

Inside `StatelessScope(mapping)`, reading a `Variable` returns the value the mapping gives it and
`Variable.assign` records the new value in the scope instead of mutating the variable. Compiled
steps use this to run `layer.call`, `optimizer.apply` or `metric.update_state` on traced values
and collect what they would have written.
"""

import threading

from neokeras.api_export import keras_name

_STATE = threading.local()


@keras_name("keras.StatelessScope")
class StatelessScope:
    """Scope in which variables are read from a mapping and never updated in place.

    Args:
        state_mapping: Iterable of `(variable, value)` pairs read in place of the variables.
        collect_losses: Whether `add_loss` calls made inside the scope are collected in
            `scope.losses`.
        initialize_variables: Kept for Keras compatibility; variables are always created with
            their values in neokeras.

    Example:

    >>> with keras.StatelessScope([(v, ops.ones(v.shape)) for v in model.weights]) as scope:
    ...     outputs = model(inputs)
    >>> new_value = scope.get_current_value(some_variable)
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        from neokeras.backend.common.variables import KerasVariable

        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self._variables = {}
        self._values = {}
        self._assigned = {}
        for variable, value in state_mapping or ():
            if not isinstance(variable, KerasVariable):
                raise ValueError(
                    "StatelessScope: every key of `state_mapping` must be a Variable. "
                    f"Received: {variable!r}"
                )
            if isinstance(value, KerasVariable):
                value = value.value
            value_shape = getattr(value, "shape", None)
            if value_shape is not None and tuple(value_shape) != variable.shape:
                raise ValueError(
                    f"StatelessScope: the value for variable '{variable.path}' has shape "
                    f"{tuple(value_shape)}, expected the variable's shape {variable.shape}."
                )
            self._variables[id(variable)] = variable
            self._values[id(variable)] = value

    def __enter__(self):
        stack = getattr(_STATE, "stack", None)
        if stack is None:
            stack = _STATE.stack = []
        stack.append(self)
        return self

    def __exit__(self, *exc):
        _STATE.stack.pop()

    def get_value(self, variable):
        """The value `variable` has in this scope, or None if the scope does not know it."""
        key = id(variable)
        if key in self._assigned:
            return self._assigned[key]
        return self._values.get(key)

    get_current_value = get_value

    def was_assigned(self, variable):
        return id(variable) in self._assigned

    def record_assignment(self, variable, value):
        self._variables[id(variable)] = variable
        self._assigned[id(variable)] = value

    def add_update(self, update):
        """Records `(variable, value)` as the variable's new value in this scope."""
        variable, value = update
        self.record_assignment(variable, value)

    def add_loss(self, loss):
        self.losses.append(loss)

    def current_value(self, variable):
        """The value after the code in the scope ran: assigned, mapped, or the variable's own."""
        value = self.get_value(variable)
        return variable._value if value is None else value


def current_stateless_scope():
    """The innermost active `StatelessScope`, or None."""
    stack = getattr(_STATE, "stack", None)
    return stack[-1] if stack else None


def in_stateless_scope():
    return current_stateless_scope() is not None


get_stateless_scope = current_stateless_scope
