"""A per-thread switch that code traced inside a `with` block can read."""

import contextlib
import threading


class ThreadFlag:
    """A boolean, False until a thread enters `flag.set()`; nested blocks restore the value
    they found."""

    def __init__(self):
        self._local = threading.local()

    def __bool__(self):
        return getattr(self._local, "value", False)

    @contextlib.contextmanager
    def set(self):
        previous = bool(self)
        self._local.value = True
        try:
            yield
        finally:
            self._local.value = previous
