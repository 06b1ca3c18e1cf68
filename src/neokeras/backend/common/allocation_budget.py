"""An optional check run before each new variable is allocated (loaders use it to refuse
files that would need more memory than allowed, before the memory is taken)."""

import contextlib
import threading

_STATE = threading.local()


def active():
    """The check in force here: a callable `(shape, dtype, path)`, or None."""
    return getattr(_STATE, "check", None)


@contextlib.contextmanager
def checking(check):
    """Within this block, `check(shape, dtype, path)` runs before every variable allocation."""
    previous = active()
    _STATE.check = check
    try:
        yield
    finally:
        _STATE.check = previous
