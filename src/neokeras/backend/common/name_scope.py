"""`name_scope`: a prefix for the paths of variables created inside it (`"block1/kernel"`)."""

import threading

from neokeras.api_export import keras_name

_STATE = threading.local()


def _stack():
    stack = getattr(_STATE, "stack", None)
    if stack is None:
        stack = _STATE.stack = []
    return stack


@keras_name("keras.name_scope")
class name_scope:
    """Context manager opening a sub-namespace for variable paths.

    Args:
        name: Scope name (a string without `/`).
        caller: Optional object opening the scope; re-entering the same scope from the same
            caller does not nest it twice (when `deduplicate`).
        deduplicate: See `caller`.
        override_parent: An absolute path replacing the enclosing scopes' path. When not
            given, a `caller` with a recorded `_parent_path` (a layer that was built or
            called before) reopens its scope under that path, so its variables keep one path
            wherever it is called from.

    Example:

    >>> with keras.name_scope("block1"):
    ...     v = keras.Variable(1.0, name="scale")
    >>> v.path
    'block1/scale'
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError("name_scope: `name` must be a string without '/'. "
                             f"Received: name={name!r}")
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        if override_parent is None and deduplicate:
            override_parent = getattr(caller, "_parent_path", None)
        self.override_parent = override_parent
        self._pushed = False

    def __enter__(self):
        stack = _stack()
        if self.deduplicate and stack and self.caller is not None \
                and stack[-1].caller is self.caller and stack[-1].name == self.name:
            return self
        stack.append(self)
        self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _stack().pop()
            self._pushed = False


def current_path():
    """The `/`-joined names of the open scopes (`""` outside any)."""
    parts = []
    for scope in _stack():
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)
