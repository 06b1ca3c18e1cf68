"""A whole LSTM sequence (tanh/sigmoid gates) with a hand-written backward pass, for CPU.

JAX's derivative of a `scan` keeps every weight gradient inside the reverse loop (one small
matrix product per step and weight, accumulated in the carry). Here the reverse loop keeps only
the recurrent product `dz @ U^T` and the gate derivatives; the kernel, recurrent-kernel, bias and
input gradients are each one matrix product over all timesteps after it. Values and gradients
equal the plain formulation's up to float rounding (tests/layers/test_rnn.py).

One `(timesteps, batch, 4 * units)` buffer carries the sequence: it starts as the input
projection (one matrix product before the loop), the forward loop overwrites each step's slice
with that step's gates once it has read it, and the reverse loop overwrites it with the gates'
derivatives, which the weight-gradient products then read. No loop allocates and zero-fills a
buffer of that size per call (`lax.scan`'s stacked outputs do: ~1.5 ms of the benchmark's
~20 ms step).

Two XLA:CPU costs shape the code (jax 0.10, measured on LSTM(64), 100 steps, batch 64):
- a fusion that applies static slices to a per-step `dynamic-slice` runs element by element
  (a 64x64 fusion of four products: 15 us instead of ~1 us), so each gate's block is read by
  its own `dynamic-slice`, never by slicing a whole step;
- the bias is added inside the loop, in the fusion that already adds the recurrent product (a
  separate pass over the projections cost ~4% of the step).
"""

import functools
import os

import jax
import jax.numpy as jnp
from jax import lax


def fuses_lstm():
    """Whether `LSTM` layers run through `lstm_sequence` (on CPU; `NEOKERAS_RNN_FUSED=1`/`0`
    forces the choice)."""
    forced = os.environ.get("NEOKERAS_RNN_FUSED", "")
    if forced in ("0", "1"):
        return forced == "1"
    return jax.default_backend() == "cpu"


def _gate_block(buffer, t, gate, units):
    """Step `t`'s block of gate `gate` in a `(timesteps, batch, 4 * units)` buffer."""
    return lax.dynamic_slice(buffer, (t, 0, gate * units), (1, buffer.shape[1], units))[0]


def _forward(inputs, h0, c0, kernel, recurrent_kernel, bias, record):
    """Runs the sequence; returns `((h, c), recorded)`. `record` "outputs": `recorded` is every
    step's `h`; "all": `(h, c_previous, gates)` of every step, `gates` `(timesteps, batch,
    4 * units)` holding `i, f, g, o`, what the backward pass reads; None: nothing (`()`)."""
    steps, batch, features = inputs.shape
    units = recurrent_kernel.shape[0]
    biases = [bias[k * units:(k + 1) * units] for k in range(4)]
    projection = (inputs.reshape(steps * batch, features) @ kernel).reshape(steps, batch, -1)
    extra = tuple(jnp.zeros((steps, batch, units), h0.dtype)
                  for _ in range(2 if record == "all" else 0))

    def step(t, carry):
        h, c_previous, buffer, *records = carry
        recurrent = h @ recurrent_kernel
        z_i, z_f, z_c, z_o = (_gate_block(buffer, t, k, units) + biases[k]
                              + recurrent[:, k * units:(k + 1) * units] for k in range(4))
        i, f, o = jax.nn.sigmoid(z_i), jax.nn.sigmoid(z_f), jax.nn.sigmoid(z_o)
        g = jnp.tanh(z_c)
        c = f * c_previous + i * g
        h = o * jnp.tanh(c)
        if record == "all":
            for k, gate in enumerate((i, f, g, o)):
                buffer = lax.dynamic_update_slice(buffer, gate[None], (t, 0, k * units))
            records = [lax.dynamic_update_index_in_dim(r, value, t, 0)
                       for r, value in zip(records, (h, c_previous))]
        elif record == "outputs":
            buffer = lax.dynamic_update_slice(buffer, h[None], (t, 0, 0))
        return (h, c, buffer, *records)

    h, c, buffer, *records = lax.fori_loop(0, steps, step, (h0, c0, projection, *extra))
    if record == "all":
        return (h, c), (*records, buffer)
    return (h, c), (buffer[:, :, :units] if record == "outputs" else ())


@functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
def lstm_sequence(return_sequences, inputs, h0, c0, kernel, recurrent_kernel, bias):
    """Runs an LSTM (gates i, f, c, o; sigmoid gates, tanh candidate and output) over time-major
    `inputs` `(timesteps, batch, features)` from states `h0`, `c0`. Returns `(outputs, h, c)`:
    `outputs` is every step's `h` `(timesteps, batch, units)` if `return_sequences`, else the
    last `h`."""
    (h, c), outputs = _forward(inputs, h0, c0, kernel, recurrent_kernel, bias,
                               "outputs" if return_sequences else None)
    return (outputs if return_sequences else h), h, c


def _lstm_forward(return_sequences, inputs, h0, c0, kernel, recurrent_kernel, bias):
    (h, c), (hs, c_previous, gates) = _forward(inputs, h0, c0, kernel, recurrent_kernel, bias,
                                               "all")
    residuals = (inputs, h0, kernel, recurrent_kernel, hs, c_previous, gates)
    return ((hs if return_sequences else h), h, c), residuals


def _lstm_backward(return_sequences, residuals, cotangents):
    inputs, h0, kernel, recurrent_kernel, hs, c_previous, gates = residuals
    d_outputs, d_h, d_c = cotangents
    steps, batch, features = inputs.shape
    units = recurrent_kernel.shape[0]
    if return_sequences:
        d_h = d_h + d_outputs[-1]
    else:
        d_h = d_h + d_outputs
    recurrent_transposed = recurrent_kernel.T

    def step(j, carry):
        t = steps - 1 - j
        d_h, d_c, buffer = carry
        i, f, g, o = (_gate_block(buffer, t, k, units) for k in range(4))
        c_before = lax.dynamic_index_in_dim(c_previous, t, keepdims=False)
        tanh_c = jnp.tanh(f * c_before + i * g)
        d_c = d_c + d_h * o * (1 - tanh_c * tanh_c)
        d_z = jnp.concatenate([d_c * g * i * (1 - i), d_c * c_before * f * (1 - f),
                               d_c * i * (1 - g * g), d_h * tanh_c * o * (1 - o)], axis=-1)
        d_h_previous = d_z @ recurrent_transposed
        if return_sequences:
            # The cotangent of h_(t-1) includes that output's own (none for the initial state).
            d_output = lax.dynamic_index_in_dim(d_outputs, jnp.maximum(t - 1, 0),
                                                keepdims=False)
            d_h_previous = jnp.where(t > 0, d_h_previous + d_output, d_h_previous)
        # Step t's gates are not read again: their slice takes their derivatives.
        return d_h_previous, d_c * f, lax.dynamic_update_slice(buffer, d_z[None], (t, 0, 0))

    d_h0, d_c0, d_z = lax.fori_loop(0, steps, step, (d_h, d_c, gates))
    d_z = d_z.reshape(steps * batch, -1)
    h_previous = jnp.concatenate([h0[None], hs[:-1]]).reshape(steps * batch, -1)
    d_inputs = (d_z @ kernel.T).reshape(inputs.shape)
    d_kernel = inputs.reshape(steps * batch, features).T @ d_z
    d_recurrent = h_previous.T @ d_z
    d_bias = jnp.sum(d_z, axis=0)
    return d_inputs, d_h0, d_c0, d_kernel, d_recurrent, d_bias


lstm_sequence.defvjp(_lstm_forward, _lstm_backward)
