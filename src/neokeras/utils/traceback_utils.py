"""Traceback filtering: errors raised through public entry points hide neokeras's own frames.

`keras.config.disable_traceback_filtering()` shows the full traceback again (useful when
debugging neokeras itself).
"""

import functools
import os
import traceback
import types

_STATE = {"enabled": True}
# The neokeras package directory: frames from files under it are internal.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def enable_traceback_filtering():
    """Hides neokeras-internal frames in tracebacks of errors raised by layers and models."""
    _STATE["enabled"] = True


def disable_traceback_filtering():
    """Shows full tracebacks, neokeras's internal frames included."""
    _STATE["enabled"] = False


def is_traceback_filtering_enabled():
    """Whether tracebacks are filtered (True by default)."""
    return _STATE["enabled"]


def _filtered(tb):
    frames = list(traceback.walk_tb(tb))
    kept = None
    for frame, line_no in reversed(frames):
        if not frame.f_code.co_filename.startswith(_PACKAGE_DIR):
            kept = types.TracebackType(kept, frame, frame.f_lasti, line_no)
    if kept is None and frames:
        frame, line_no = frames[-1]
        kept = types.TracebackType(None, frame, frame.f_lasti, line_no)
    return kept


def filtered(error):
    """`error` with neokeras's frames removed from its traceback (for entry points too hot for
    `filter_traceback`'s extra call; re-raise it `from None` when filtering is enabled)."""
    return error.with_traceback(_filtered(error.__traceback__))


def filter_traceback(fn):
    """Decorator: exceptions leaving `fn` carry a traceback without neokeras's frames."""

    @functools.wraps(fn)
    def error_handler(*args, **kwargs):
        if not _STATE["enabled"]:
            return fn(*args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            raise filtered(e) from None

    return error_handler
