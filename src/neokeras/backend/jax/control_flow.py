"""Control flow and function transforms of `keras.ops.core` (traceable under `jit`; in an eager
step, loops and branches run in Python on concrete values, see `eager`)."""

import jax

from neokeras.backend.common.variables import KerasVariable
from neokeras.backend.jax.eager import python_control_flow

__all__ = [
    "cond", "switch", "scan", "associative_scan", "map", "fori_loop", "while_loop",
    "vectorized_map", "custom_gradient",
]


def cond(pred, true_fn, false_fn):
    with python_control_flow():
        return jax.lax.cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    if not branches:
        raise ValueError("ops.switch needs at least one branch. Received: branches=[]")
    with python_control_flow():
        return jax.lax.switch(index, branches, *operands)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"ops.scan: `unroll` must be a positive int or a bool. "
                         f"Received: unroll={unroll!r}")
    if xs is None and length is None:
        raise ValueError("ops.scan: give `xs` or `length` (the number of steps).")
    with python_control_flow():
        return jax.lax.scan(f, init, xs=xs, length=length, reverse=reverse, unroll=unroll)


def associative_scan(f, elems, reverse=False, axis=0):
    return jax.lax.associative_scan(f, elems, reverse=reverse, axis=axis)


def map(f, xs):
    with python_control_flow():
        return jax.lax.map(f, xs)


def fori_loop(lower, upper, body_fun, init_val):
    with python_control_flow():
        return jax.lax.fori_loop(lower, upper, body_fun, init_val)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """`cond(*loop_vars)` and `body(*loop_vars)` when `loop_vars` is a tuple or list."""
    is_sequence = isinstance(loop_vars, (tuple, list))
    state = tuple(loop_vars) if is_sequence else (loop_vars,)

    def as_tuple(outputs):
        return tuple(outputs) if is_sequence else (outputs,)

    with python_control_flow():
        if maximum_iterations is None:
            result = jax.lax.while_loop(lambda s: cond(*s), lambda s: as_tuple(body(*s)), state)
        else:
            def bounded_cond(s):
                return jax.numpy.logical_and(cond(*s[:-1]), s[-1] < maximum_iterations)

            def bounded_body(s):
                return as_tuple(body(*s[:-1])) + (s[-1] + 1,)

            result = jax.lax.while_loop(bounded_cond, bounded_body, state + (0,))[:-1]
    return type(loop_vars)(result) if is_sequence else result[0]


def vectorized_map(function, elements):
    return jax.vmap(function)(elements)


def custom_gradient(f):
    """Decorates `f(*args) -> (output, grad_fn)`; `grad_fn(*upstream)` returns input grads."""
    wrapped = jax.custom_gradient(f)

    def call(*args, **kwargs):
        args, kwargs = jax.tree_util.tree_map(
            lambda v: v.value if isinstance(v, KerasVariable) else v, (args, kwargs),
            is_leaf=lambda v: isinstance(v, KerasVariable))
        return wrapped(*args, **kwargs)

    return call
