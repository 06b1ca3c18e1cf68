"""Python called from compiled code, on the host, in program order (`io_callback`)."""

import jax
from jax.experimental import io_callback


def call_on_host(fn, result_spec, *args):
    """Runs `fn(*args)` with the arguments as numpy arrays (pytrees kept), from traced code too.

    Args:
        fn: The Python function.
        result_spec: None when `fn` returns nothing, else `(shape, dtype)` of what it returns.
        *args: Arrays or pytrees of arrays (None allowed).
    """
    spec = None if result_spec is None else jax.ShapeDtypeStruct(*result_spec)
    return io_callback(fn, spec, *args, ordered=True)
