"""The stateless scope: lets stateful-looking code run as a pure function.

Inside `StatelessScope(mapping)`, reading a `Variable` returns the value the mapping gives it and
`Variable.assign` records the new value in the scope instead of mutating the variable. Compiled
steps use this to run `layer.call`, `optimizer.apply` or `metric.update_state` on traced values
and collect what they would have written.
"""

import threading

_STATE = threading.local()


class StatelessScope:
    """Maps variables to stand-in values and records assignments.

    Args:
        state_mapping: Iterable of `(variable, value)` pairs read in place of the variables.
        collect_assignments: When False, assignments are recorded but the scope still answers
            reads with the original mapping (used for shape inference).
    """

    def __init__(self, state_mapping=()):
        self._values = {id(v): value for v, value in state_mapping}
        self._assigned = {}

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

    def record_assignment(self, variable, value):
        self._assigned[id(variable)] = value

    def current_value(self, variable):
        """The value after the code in the scope ran: assigned, mapped, or the variable's own."""
        value = self.get_value(variable)
        return variable._value if value is None else value


def current_stateless_scope():
    """The innermost active `StatelessScope`, or None."""
    stack = getattr(_STATE, "stack", None)
    return stack[-1] if stack else None
