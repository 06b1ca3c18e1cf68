"""Eager steps (`run_eagerly=True`): op by op on concrete values, gradients included.

JAX has no eager tape, but its reverse-mode autodiff outside `jit` is already eager: each
operation runs at once on a concrete primal value while its linearization is recorded. A step
runs its user code once, that way, with two changes while it runs (in this thread only):

- the control flow of `ops` (`scan` in an RNN, `cond`, `switch`, `while_loop`, `fori_loop`,
  `map`) runs as Python loops and branches on concrete values, as JAX runs it under
  `jax.disable_jit()` (only there: jax.numpy's own compiled helpers keep their speed);
- values being differentiated (JAX grad tracers, which carry the concrete value) convert as
  their value does: `np.asarray(x)`, `float(x)`, `x.tolist()` and `f"{x:.3f}"` give the value,
  detached from the gradient as TensorFlow's `.numpy()` is. `print(x)`, `bool(x)` (a Python
  `if`), `int(x)` and `x.item()` work on such values without help.

A value with no concrete value (a tracer of a user's own `jax.jit`, or of a `jax.lax.scan`
called directly rather than through `ops`) keeps JAX's behaviour: converting it raises as usual.
Raw `jax.numpy` in user code is differentiated like everything else, since the gradient is JAX's.
"""

import contextlib
import threading

import jax

# The conversions JAX refuses on every tracer, even one with a concrete value.
_CONVERSIONS = ("__array__", "__float__", "__complex__", "tolist", "__format__")

_local = threading.local()
_installed = False
_install_lock = threading.Lock()


def _active():
    return getattr(_local, "depth", 0) > 0


def _detached(name, original):
    def convert(self, *args, **kwargs):
        if _active():
            try:
                value = jax.extend.core.concrete_or_error(None, self)
            except jax.errors.ConcretizationTypeError:
                pass
            else:
                return getattr(value, name)(*args, **kwargs)
        return original(self, *args, **kwargs)

    convert.__name__ = name
    convert.__doc__ = original.__doc__
    return convert


def _install():
    # Once per process; outside an eager step the converters defer to JAX's own methods.
    global _installed
    with _install_lock:
        if _installed:
            return
        # Imported here, not at the top: `jax.extend` imports Pallas (~25 ms on `import neokeras`).
        import jax.extend.core  # noqa: F401
        for name in _CONVERSIONS:
            setattr(jax.core.Tracer, name, _detached(name, getattr(jax.core.Tracer, name)))
        _installed = True


@contextlib.contextmanager
def eager_step():
    """The context of one eager step (see the module docstring); nests."""
    _install()
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1


def python_control_flow():
    """Inside an eager step, the context in which JAX runs loops and branches in Python on
    concrete values (`jax.disable_jit()`); elsewhere, no change."""
    return jax.disable_jit(_active())
