"""`keras.src.utils.backend_utils` (compatibility mirror): `in_grain_data_pipeline`."""

import inspect
import sys


def in_grain_data_pipeline():
    """Whether the caller runs inside a Grain data pipeline (a `grain` frame on the stack)."""
    if "grain" not in sys.modules:
        return False
    frame = inspect.currentframe()
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module == "grain" or module.startswith(("grain.", "grain._")):
            return True
        frame = frame.f_back
    return False
