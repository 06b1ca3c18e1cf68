"""Clear errors for bad op inputs: the op's name and the arguments it received, instead of a
traceback from deep inside the array library."""

_PREFIX = "ops."


def _describe(value):
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        return f"tensor(shape={tuple(shape)}, dtype={dtype})"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"{type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_tracing_error(error):
    # Errors about traced values (e.g. Python control flow on a tracer) are the caller's to
    # read as the library wrote them.
    kind = type(error)
    return kind.__module__.startswith("jax") and kind.__name__ not in ("TypeError", "ValueError")


def explain(name, error, args, kwargs):
    """A clearer copy of `error` raised by `ops.<name>`, or None to re-raise it unchanged."""
    message = str(error)
    if message.startswith(_PREFIX) or _is_tracing_error(error):
        return None
    received = ", ".join([_describe(a) for a in args]
                         + [f"{k}={_describe(v)}" for k, v in kwargs.items()])
    kind = next(k for k in (TypeError, ValueError, IndexError) if isinstance(error, k))
    return kind(f"ops.{name}: {message} (received: {received})")
