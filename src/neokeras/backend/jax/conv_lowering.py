"""The lowering of a convolution, chosen once per shape: XLA's native convolution, or patches +
one matrix product.

XLA:CPU runs some convolutions far below the matrix-product rate, above all their gradients
(a first layer with one input channel: the native gradient is ~5x slower than the gradient of
the same convolution written as shifted slices, concatenated, times the reshaped kernel). Which
one is faster depends on the shape and on whether the convolution is differentiated, so on CPU
the first trace of a shape times both (a few runs each, on random data) and keeps the faster;
elsewhere the native convolution is always used. Both compute the same sums: the patches form is
exact, and its gradient is JAX's derivative of slicing and a matrix product.

Decisions are kept per process and, with the persistent compilation cache on, in
`conv-lowerings.json` beside it, so a second run measures nothing. The environment variable
`NEOKERAS_CONV_LOWERING` (`native` or `patches`) forces one lowering (for tests and
benchmarks).
"""

import contextlib
import itertools
import json
import os
import threading
import time

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from neokeras.backend.common.symbolic_scope import in_symbolic_scope
from neokeras.backend.jax import compilation_cache

_state = threading.local()
_decisions = {}
_loaded = [False]


@contextlib.contextmanager
def differentiated():
    """Convolutions traced inside are chosen for their forward and backward pass together (the
    default training step traces its forward pass inside this)."""
    previous = getattr(_state, "differentiated", False)
    _state.differentiated = True
    try:
        yield
    finally:
        _state.differentiated = previous


def patches_conv(inputs, kernel, strides, pads, dilation):
    """A channels-last, ungrouped convolution as patches (strided slices of the zero-padded
    input, one per kernel offset, concatenated on the channels) times the reshaped kernel."""
    rank = inputs.ndim - 2
    inputs = jnp.pad(inputs, ((0, 0),) + tuple(pads) + ((0, 0),))
    window = kernel.shape[:rank]
    out = [(inputs.shape[1 + d] - (window[d] - 1) * dilation[d] - 1) // strides[d] + 1
           for d in range(rank)]
    pieces = []
    for offset in itertools.product(*(range(w) for w in window)):
        starts = (0,) + tuple(o * r for o, r in zip(offset, dilation)) + (0,)
        limits = (inputs.shape[0],) + tuple(
            s + (n - 1) * st + 1 for s, n, st in zip(starts[1:-1], out, strides)) + (
            inputs.shape[-1],)
        pieces.append(lax.slice(inputs, starts, limits, (1,) + tuple(strides) + (1,)))
    patches = pieces[0] if len(pieces) == 1 else jnp.concatenate(pieces, axis=-1)
    flat = kernel.reshape(-1, kernel.shape[-1])
    return lax.dot_general(patches, flat, (((rank + 1,), (0,)), ((), ())))


def _native(inputs, kernel, strides, pads, dilation, dimension_numbers):
    return lax.conv_general_dilated(inputs, kernel, strides, pads, rhs_dilation=dilation,
                                    dimension_numbers=dimension_numbers)


def _decisions_file():
    directory = compilation_cache.cache_dir()
    return None if directory is None else os.path.join(directory, "conv-lowerings.json")


def _load():
    if _loaded[0]:
        return
    _loaded[0] = True
    path = _decisions_file()
    if path and os.path.exists(path):
        try:
            with open(path) as f:
                _decisions.update(json.load(f))
        except (OSError, ValueError):
            pass  # an unreadable file only costs a new measurement


def _save():
    path = _decisions_file()
    if not path:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}"
        with open(temporary, "w") as f:
            json.dump(_decisions, f)
        os.replace(temporary, path)
    except OSError:
        pass


def _best_seconds(fn, args, runs=3):
    jax.block_until_ready(fn(*args))
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        jax.block_until_ready(fn(*args))
        best = min(best, time.perf_counter() - start)
    return best


def _measure(shape, kernel_shape, dtype, strides, pads, dilation, dimension_numbers, grads):
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.standard_normal(shape), dtype)
    k = jnp.asarray(rng.standard_normal(kernel_shape), dtype)
    candidates = {
        "native": lambda x, k: _native(x, k, strides, pads, dilation, dimension_numbers),
        "patches": lambda x, k: patches_conv(x, k, strides, pads, dilation),
    }
    # A random cotangent: with a constant one XLA simplifies the native gradient away.
    cotangent = jnp.asarray(rng.standard_normal(
        jax.eval_shape(candidates["native"], x, k).shape), dtype)
    seconds = {}
    for name, fn in candidates.items():
        if grads:
            fn = jax.grad(lambda x, k, c, fn=fn: jnp.sum(fn(x, k) * c), argnums=(0, 1))
        else:
            fn = lambda x, k, c, fn=fn: fn(x, k)  # noqa: E731
        seconds[name] = _best_seconds(jax.jit(fn), (x, k, cotangent))
    return min(seconds, key=seconds.get)


def choose(inputs, kernel, strides, pads, dilation, dimension_numbers):
    """`"native"` or `"patches"` for this convolution (see the module docstring). Only
    channels-last, ungrouped convolutions of a known shape are candidates for patches, and
    shape inference (a symbolic scope) measures nothing."""
    forced = os.environ.get("NEOKERAS_CONV_LOWERING", "").lower()
    if forced in ("native", "patches"):
        return forced
    if (jax.default_backend() != "cpu" or in_symbolic_scope()
            or dimension_numbers[0][-1] != "C" or inputs.shape[-1] != kernel.shape[-2]
            or any(not isinstance(d, int) for d in inputs.shape)):
        return "native"
    grads = getattr(_state, "differentiated", False)
    key = repr((tuple(inputs.shape), tuple(kernel.shape), str(inputs.dtype), tuple(strides),
                tuple(map(tuple, pads)), tuple(dilation), grads, jax.__version__))
    _load()
    if key not in _decisions:
        with jax.ensure_compile_time_eval():
            _decisions[key] = _measure(tuple(inputs.shape), tuple(kernel.shape), inputs.dtype,
                                       tuple(strides), tuple(map(tuple, pads)),
                                       tuple(dilation), dimension_numbers, grads)
        _save()
    return _decisions[key]
