"""The lowering of a convolution, chosen once per shape: XLA's native convolution, or a form
built from shifted slices of the input ("patches"): for `conv`, the slices concatenated times
the reshaped kernel (one matrix product); for `depthwise_conv` (and so `separable_conv`, whose
pointwise step is a `conv`), the slices times their offset's per-channel weights, summed; for
`conv_transpose`, one matrix product giving every offset's contribution, added at the output
positions. `conv` has two more candidates: "widened", the native convolution computed one
column wider and cropped (`widened_conv`), and, when differentiated, "split": the native
input gradient, with the kernel gradient as matrix products of the shifted slices and the
output gradient (`split_conv`).

XLA:CPU runs some convolutions far below the matrix-product rate, above all their kernel
gradients (the benchmark CNN's second layer: ~22 ms native against ~12 ms split). Which one is
faster depends on the shape and on whether the convolution is differentiated, so on CPU
the first trace of a shape times the candidates (a few runs each, on random data) and keeps the
fastest; elsewhere the native convolution is always used. All compute the same sums: the
patches forms are exact, and their gradients are JAX's derivatives of slicing, padding and
products. Only channels-last, ungrouped (for `conv`) convolutions are candidates.

Decisions are kept per process and, with the persistent compilation cache on, in
`conv-lowerings.json` beside it, so a second run measures nothing. The environment variable
`NEOKERAS_CONV_LOWERING` (`native`, `patches`, `split` or `widened`) forces one lowering for all
of them (for tests and benchmarks; `split` and `widened` apply to `conv` only, the others stay
native).
"""

import itertools
import json
import os
import time

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.custom_derivatives import SymbolicZero

from neokeras.backend.common.symbolic_scope import in_symbolic_scope
from neokeras.backend.common.thread_flag import ThreadFlag
from neokeras.backend.jax import compilation_cache

_differentiated = ThreadFlag()
_decisions = {}
_loaded = [False]
# Part of every decision's key: decisions made by an earlier timing rule are measured again.
_RULE = 2


def differentiated():
    """Convolutions traced inside are chosen for their forward and backward pass together (the
    default training step traces its forward pass inside this)."""
    return _differentiated.set()


def _shifted_slices(inputs, window, strides, pads, dilation):
    """The zero-padded channels-last input sliced once per kernel offset (row-major offsets),
    each slice holding the input positions that offset multiplies."""
    rank = inputs.ndim - 2
    inputs = jnp.pad(inputs, ((0, 0),) + tuple(pads) + ((0, 0),))
    out = [(inputs.shape[1 + d] - (window[d] - 1) * dilation[d] - 1) // strides[d] + 1
           for d in range(rank)]
    pieces = []
    for offset in itertools.product(*(range(w) for w in window)):
        starts = (0,) + tuple(o * r for o, r in zip(offset, dilation)) + (0,)
        limits = (inputs.shape[0],) + tuple(
            s + (n - 1) * st + 1 for s, n, st in zip(starts[1:-1], out, strides)) + (
            inputs.shape[-1],)
        pieces.append(lax.slice(inputs, starts, limits, (1,) + tuple(strides) + (1,)))
    return pieces


def patches_conv(inputs, kernel, strides, pads, dilation):
    """A channels-last, ungrouped convolution as patches (strided slices of the zero-padded
    input, one per kernel offset, concatenated on the channels) times the reshaped kernel."""
    rank = inputs.ndim - 2
    pieces = _shifted_slices(inputs, kernel.shape[:rank], strides, pads, dilation)
    patches = pieces[0] if len(pieces) == 1 else jnp.concatenate(pieces, axis=-1)
    flat = kernel.reshape(-1, kernel.shape[-1])
    return lax.dot_general(patches, flat, (((rank + 1,), (0,)), ((), ())))


def widened_conv(inputs, kernel, strides, pads, dilation):
    """A channels-last, ungrouped convolution computed one column wider (one more zero of
    padding at the end of the last spatial dimension), then cropped to its size: the same
    values. XLA:CPU's YNNPACK convolution takes a different, faster path for a padded window:
    1.2-3.6x faster than unpadded for 3x3 kernels on 10x10 to 30x30 inputs."""
    rank = inputs.ndim - 2
    spatial = inputs.shape[1:-1]
    window = [(k - 1) * d + 1 for k, d in zip(kernel.shape[:rank], dilation)]
    out = [(n + lo + hi - w) // s + 1 for n, (lo, hi), w, s in zip(spatial, pads, window, strides)]
    wider = [tuple(p) for p in pads[:-1]] + [(pads[-1][0], pads[-1][1] + 1)]
    spec = "N" + "DHW"[3 - rank:] + "C"
    value = lax.conv_general_dilated(inputs, kernel, strides, wider, rhs_dilation=dilation,
                                     dimension_numbers=(spec, spec[1:-1] + "IO", spec))
    return value[..., :out[-1], :]


def split_conv(native, inputs, kernel, strides, pads, dilation):
    """`native(inputs, kernel)` (a channels-last, ungrouped convolution) with the same input
    gradient, and its kernel gradient computed from the shifted slices of the input: with the
    output gradient `g` as a matrix (output channels, positions), one matrix product
    `g @ slice` per kernel offset (one offset per turn of a loop), or, with one input channel,
    the stacked slices times `g`.
    With one input channel the value too is computed from the slices (each times its offset's
    weights, summed), which XLA fuses with the bias, activation and pooling that follow; with
    more, it is `widened_conv`'s.

    XLA:CPU computes the native kernel gradient as a convolution with the output gradient as
    its kernel (e.g. 11x11 over a 13x13 input), at a third of the matrix-product rate. Its fast
    matrix products (YNNPACK) take only row-major `(m, k) @ (k, n)` operands; optimization
    barriers keep XLA from folding transposes into the products (which would leave slower,
    transposed-operand products)."""
    rank = inputs.ndim - 2
    window = kernel.shape[:rank]

    def kernel_tangent(x, kernel_dot):
        # Linear in `kernel_dot`; JAX's transpose of it is the kernel gradient described above.
        # The barriers keep XLA from folding transposes into the products (in either pass).
        barrier = lax.optimization_barrier
        padded = jnp.pad(x, ((0, 0),) + tuple(pads) + ((0, 0),))
        out = tuple((padded.shape[1 + d] - (window[d] - 1) * dilation[d] - 1) // strides[d] + 1
                    for d in range(rank))
        out_shape = (x.shape[0],) + out + (kernel_dot.shape[-1],)
        flat = kernel_dot.reshape((-1,) + kernel_dot.shape[rank:])
        if x.shape[-1] == 1:
            pieces = _shifted_slices(x, window, strides, pads, dilation)
            stacked = jnp.stack([piece.reshape(-1) for piece in pieces])  # (offsets, positions)
            product = lax.dot_general(stacked, barrier(flat[:, 0]), (((0,), (0,)), ((), ())))
            return barrier(product).reshape(out_shape)
        flat = barrier(jnp.swapaxes(flat, 1, 2))  # (offsets, out channels, in channels)
        span = (x.shape[0],) + tuple((n - 1) * s + 1 for n, s in zip(out, strides))
        starts = jnp.array([[o * d for o, d in zip(offset, dilation)]
                            for offset in itertools.product(*(range(w) for w in window))],
                           jnp.int32)

        # One offset per turn of a loop: XLA runs the products one after the other in one
        # thunk, where nine independent ones were spread over its executor's threads (slower
        # in the training step). Rematerialized, so the slices are taken again in the backward
        # loop instead of stored.
        @jax.checkpoint
        def step(total, offset):
            start, weights = offset
            piece = lax.dynamic_slice(padded, (0, *start, 0), span + (x.shape[-1],))
            piece = piece[(slice(None),) + tuple(slice(None, None, s) for s in strides)]
            return total + lax.dot_general(weights, piece.reshape(-1, piece.shape[-1]),
                                           (((1,), (1,)), ((), ()))), None

        total = jnp.zeros((flat.shape[1], int(np.prod(out_shape[:-1]))), x.dtype)
        product = lax.scan(step, total, (starts, flat))[0]  # (out channels, positions)
        return barrier(product).T.reshape(out_shape)

    def forward(x, k):
        if x.shape[-1] != 1:
            return widened_conv(x, k, strides, pads, dilation)
        pieces = _shifted_slices(x, window, strides, pads, dilation)
        weights = k.reshape(len(pieces), k.shape[-1])
        return sum(piece * weights[i] for i, piece in enumerate(pieces))

    @jax.custom_jvp
    def conv(x, k):
        return forward(x, k)

    def conv_jvp(primals, tangents):
        x, k = primals
        x_dot, k_dot = tangents
        out = forward(x, k)
        parts = []
        if not isinstance(k_dot, SymbolicZero):
            parts.append(kernel_tangent(x, k_dot))
        if not isinstance(x_dot, SymbolicZero):
            parts.append(native(x_dot, k))
        return out, sum(parts) if parts else jnp.zeros_like(out)

    conv.defjvp(conv_jvp, symbolic_zeros=True)
    return conv(inputs, kernel)


def patches_depthwise_conv(inputs, kernel, strides, pads, dilation):
    """A channels-last depthwise convolution (kernel `(*spatial, channels, multiplier)`) as a
    sum over kernel offsets of the shifted input times that offset's per-channel weights."""
    rank = inputs.ndim - 2
    pieces = _shifted_slices(inputs, kernel.shape[:rank], strides, pads, dilation)
    weights = kernel.reshape((len(pieces),) + kernel.shape[rank:])
    out = sum(piece[..., None] * weights[i] for i, piece in enumerate(pieces))
    return out.reshape(out.shape[:-2] + (-1,))


def patches_conv_transpose(inputs, kernel, strides, pads, dilation):
    """A channels-last transposed convolution (kernel `(*spatial, out_channels, in_channels)`)
    as one matrix product giving every kernel offset's contribution of each input position,
    then those contributions added at their output positions (input position `i` and offset
    `j` land at `i * stride + j * dilation`), and the result cut to `pads` as the native
    lowering's lhs-dilated convolution does."""
    rank = inputs.ndim - 2
    window, out_channels = kernel.shape[:rank], kernel.shape[rank]
    flat = jnp.moveaxis(kernel, -1, 0).reshape(kernel.shape[-1], -1)
    contributions = lax.dot_general(inputs, flat, (((rank + 1,), (0,)), ((), ())))
    contributions = contributions.reshape(inputs.shape[:-1] + (-1, out_channels))
    spatial = inputs.shape[1:-1]
    span = [(k - 1) * d + 1 for k, d in zip(window, dilation)]
    full = [(n - 1) * s + w for n, s, w in zip(spatial, strides, span)]
    total = None
    for index, offset in enumerate(itertools.product(*(range(w) for w in window))):
        config = [(0, 0, 0)] + [
            (o * d, f - (n - 1) * s - 1 - o * d, s - 1)
            for o, d, f, n, s in zip(offset, dilation, full, spatial, strides)] + [(0, 0, 0)]
        placed = lax.pad(contributions[..., index, :], np.array(0, inputs.dtype), config)
        total = placed if total is None else total + placed
    # The native lowering pads the dilated input by `pads` and correlates: its output starts
    # `span - 1 - before` into the full result and may run past its end (zeros).
    config = [(0, 0, 0)] + [(before - w + 1, after - w + 1, 0)
                            for (before, after), w in zip(pads, span)] + [(0, 0, 0)]
    return lax.pad(total, np.array(0, inputs.dtype), config)


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


def _seconds(fn, args):
    """One call's time: the smaller of its wall time and the process's CPU time. On a busy
    machine the wall time also counts the time other processes held the core; when XLA runs
    the call on several cores at once, the CPU time adds theirs up."""
    wall, cpu = time.perf_counter(), time.process_time()
    jax.block_until_ready(fn(*args))
    return min(time.perf_counter() - wall, time.process_time() - cpu)


def _take_turns(programs, args, runs, best):
    """`runs` turns of every program (in order), keeping each one's best time in `best`."""
    for _ in range(runs):
        for name, functions in programs.items():
            for i, fn in enumerate(functions):
                best[name][i] = min(best[name][i], _seconds(fn, args))


def _first_within(best, margin):
    seconds = {name: sum(times) for name, times in best.items()}
    fastest = min(seconds.values())
    return next(name for name, value in seconds.items() if value <= margin * fastest)


def _fastest(programs, args, runs=5, margin=1.10):
    """The name of the fastest entry of `programs` (name: the jitted functions it runs; its
    time is the sum of their best calls, after a first call that compiles), or of the first
    (in their order of preference) within `margin` of it.

    The candidates take `runs` turns, so that other load on the machine falls on all of them
    alike. A pick other than the first candidate must hold up: that one and the first take
    `runs` more turns, and the rule is applied again to every candidate's best time. So one
    lucky (or one slowed) run does not change the decision."""
    for functions in programs.values():
        for fn in functions:
            jax.block_until_ready(fn(*args))
    best = {name: [float("inf")] * len(functions) for name, functions in programs.items()}
    _take_turns(programs, args, runs, best)
    choice = _first_within(best, margin)
    preferred = next(iter(programs))
    if choice != preferred:
        _take_turns({name: programs[name] for name in (preferred, choice)}, args, runs, best)
        choice = _first_within(best, margin)
    return choice


def _measure(candidates, shape, kernel_shape, dtype, grads):
    rng = np.random.default_rng(0)
    x = jnp.asarray(rng.standard_normal(shape), dtype)
    k = jnp.asarray(rng.standard_normal(kernel_shape), dtype)
    # A random cotangent: with a constant one XLA simplifies the native gradient away.
    cotangent = jnp.asarray(rng.standard_normal(
        jax.eval_shape(candidates["native"], x, k).shape), dtype)
    programs = {}
    for name, fn in candidates.items():
        # The value alone (written out, as a layer's output is); with gradients, plus the
        # backward pass alone, as a training step runs them.
        programs[name] = [jax.jit(lambda x, k, c, fn=fn: fn(x, k))]
        if grads:
            programs[name].append(jax.jit(lambda x, k, c, fn=fn: jax.vjp(fn, x, k)[1](c)))
    return _fastest(programs, (x, k, cotangent))


def choose(op, inputs, kernel, config, native, patches, eligible=True, split=None,
           widened=None):
    """`"native"`, `"patches"`, `"split"` or `"widened"` for this convolution (see the module
    docstring).

    Args:
        op: The operation's name (`"conv"`, `"depthwise_conv"`, `"conv_transpose"`).
        inputs, kernel: The operands (their shapes and dtype make the key).
        config: Hashable rest of the key (strides, padding, dilation).
        native, patches: The two lowerings as functions of `(inputs, kernel)`.
        eligible: False when the patches form does not apply (e.g. channels-first).
        split: The native lowering with its kernel gradient from the shifted slices, if this
            operation has one; a candidate only for differentiated convolutions.
        widened: The native lowering computed one column wider and cropped, if this operation
            has one.

    Only known shapes are candidates for patches, and shape inference (a symbolic scope)
    measures nothing."""
    forced = os.environ.get("NEOKERAS_CONV_LOWERING", "").lower()
    if not eligible:
        return "native"
    if forced in ("native", "patches"):
        return forced
    if forced in ("split", "widened"):
        return forced if {"split": split, "widened": widened}[forced] else "native"
    if (jax.default_backend() != "cpu" or in_symbolic_scope()
            or any(not isinstance(d, int) for d in inputs.shape)):
        return "native"
    grads = bool(_differentiated)
    # In order of preference when timed within a few percent of each other: inside the
    # training step, split and widened did better than timed alone.
    candidates = {}
    if grads and split is not None:
        candidates["split"] = split
    if widened is not None:
        candidates["widened"] = widened
    candidates.update(native=native, patches=patches)
    key = repr((op, tuple(inputs.shape), tuple(kernel.shape), str(inputs.dtype), config, grads,
                tuple(candidates), jax.__version__, _RULE))
    _load()
    if key not in _decisions:
        with jax.ensure_compile_time_eval():
            _decisions[key] = _measure(candidates, tuple(inputs.shape), tuple(kernel.shape),
                                       inputs.dtype, grads)
        _save()
    return _decisions[key]
