"""Where Keras prints: stdout while interactive logging is on, the `logging` module otherwise."""

import logging
import sys

_STATE = {"interactive": True}
_LOGGER = logging.getLogger("neokeras")


def enable_interactive_logging():
    """Sends Keras's messages and progress bars to stdout (the default)."""
    _STATE["interactive"] = True


def disable_interactive_logging():
    """Sends Keras's messages to the `logging` module (logger `"neokeras"`, level INFO).

    Suits jobs on servers, whose logs are collected rather than watched.
    """
    _STATE["interactive"] = False


def is_interactive_logging_enabled():
    """Whether messages go to stdout (True) or to the `logging` module (False)."""
    return _STATE["interactive"]


def print_msg(message, line_break=True):
    """Writes `message` to stdout, or logs it when interactive logging is off."""
    message = str(message)
    if not is_interactive_logging_enabled():
        _LOGGER.info(message)
        return
    sys.stdout.write(f"{message}\n" if line_break else message)
    sys.stdout.flush()
