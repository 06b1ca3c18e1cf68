"""A whole LSTM sequence (tanh/sigmoid gates) with a hand-written backward pass, for CPU.

JAX's derivative of a `scan` keeps every weight gradient inside the reverse loop (one small
matrix product per step and weight, accumulated in the carry). Here the reverse loop keeps only
the recurrent product `dz @ U^T` and the gate derivatives; the kernel, recurrent-kernel, bias and
input gradients are each one matrix product over all timesteps after it. Values and gradients
equal the plain formulation's up to float rounding (tests/layers/test_rnn.py).

Two XLA:CPU costs shape the code (jax 0.10, measured on LSTM(64), 100 steps, batch 64):
- a fusion that takes static column slices of a per-step `dynamic-slice` and applies `exp`/`tanh`
  runs about 4x slower than the same math on whole arrays, so every per-step array the loops read
  (the input projections, the saved gates) is its own `(timesteps, batch, units)` array;
- the forward loop's input projection is four matrix products done before it, one per gate;
  the bias is added inside the loop, in the fusion that already adds the recurrent product (as a
  separate pass over the four projections it cost ~4% of the benchmark's step).
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


def _gate_projections(inputs, kernel):
    """The input product of each gate's pre-activation (bias not added),
    `(timesteps, batch, units)` each."""
    steps, batch, features = inputs.shape
    flat = inputs.reshape(steps * batch, features)
    units = kernel.shape[1] // 4
    return tuple((flat @ kernel[:, k * units:(k + 1) * units]).reshape(steps, batch, units)
                 for k in range(4))


def _forward(inputs, h0, c0, kernel, recurrent_kernel, bias, record):
    """Runs the sequence; returns `((h, c), recorded)`. `record` "outputs": `recorded` is every
    step's `h`; "all": `(h, c_previous, i, f, g, o)` of every step, what the backward pass reads;
    None: nothing (`()`).

    The loop writes each step's gates (or `h`, for "outputs") into the step's slice of the gate
    projections it has just read, which are not read again: a `scan` would allocate and zero
    a fresh `(timesteps, batch, units)` buffer per recorded array on every call (~1 ms of the
    benchmark's ~20 ms step)."""
    units = recurrent_kernel.shape[0]
    biases = [bias[k * units:(k + 1) * units] for k in range(4)]
    projections = _gate_projections(inputs, kernel)
    extra = tuple(jnp.zeros_like(projections[0]) for _ in range(2 if record == "all" else 0))

    def step(t, carry):
        h, c_previous, buffers = carry
        recurrent = h @ recurrent_kernel
        z_i, z_f, z_c, z_o = (lax.dynamic_index_in_dim(buffers[k], t, keepdims=False)
                              + biases[k] + recurrent[:, k * units:(k + 1) * units]
                              for k in range(4))
        i, f, o = jax.nn.sigmoid(z_i), jax.nn.sigmoid(z_f), jax.nn.sigmoid(z_o)
        g = jnp.tanh(z_c)
        c = f * c_previous + i * g
        h = o * jnp.tanh(c)
        written = {"all": (i, f, g, o, h, c_previous), "outputs": (h,)}.get(record, ())
        buffers = tuple(lax.dynamic_update_index_in_dim(buffer, value, t, 0)
                        for buffer, value in zip(buffers, written)) + buffers[len(written):]
        return h, c, buffers

    h, c, buffers = lax.fori_loop(0, inputs.shape[0], step, (h0, c0, projections + extra))
    if record == "all":
        i, f, g, o, hs, c_previous = buffers
        return (h, c), (hs, c_previous, i, f, g, o)
    return (h, c), (buffers[0] if record == "outputs" else ())


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
    (h, c), (hs, *gates) = _forward(inputs, h0, c0, kernel, recurrent_kernel, bias, "all")
    residuals = (inputs, h0, kernel, recurrent_kernel, hs, tuple(gates))
    return ((hs if return_sequences else h), h, c), residuals


def _lstm_backward(return_sequences, residuals, cotangents):
    inputs, h0, kernel, recurrent_kernel, hs, gates = residuals
    d_outputs, d_h, d_c = cotangents
    if return_sequences:
        d_h = d_h + d_outputs[-1]
        # The reverse loop's step t hands back the cotangent of h_(t-1), which includes that
        # output's own (none for the initial state).
        d_step_outputs = jnp.concatenate([jnp.zeros_like(d_outputs[:1]), d_outputs[:-1]])
    else:
        d_h = d_h + d_outputs
    recurrent_transposed = recurrent_kernel.T

    def step(carry, saved):
        d_h, d_c = carry
        if return_sequences:
            d_output_previous, c_previous, i, f, g, o = saved
        else:
            c_previous, i, f, g, o = saved
        tanh_c = jnp.tanh(f * c_previous + i * g)
        d_c = d_c + d_h * o * (1 - tanh_c * tanh_c)
        d_z = jnp.concatenate([d_c * g * i * (1 - i), d_c * c_previous * f * (1 - f),
                               d_c * i * (1 - g * g), d_h * tanh_c * o * (1 - o)], axis=-1)
        d_h_previous = d_z @ recurrent_transposed
        if return_sequences:
            d_h_previous = d_h_previous + d_output_previous
        return (d_h_previous, d_c * f), d_z

    xs = ((d_step_outputs,) if return_sequences else ()) + tuple(gates)
    (d_h0, d_c0), d_z = lax.scan(step, (d_h, d_c), xs, reverse=True)
    steps, batch, features = inputs.shape
    d_z = d_z.reshape(steps * batch, -1)
    h_previous = jnp.concatenate([h0[None], hs[:-1]]).reshape(steps * batch, -1)
    d_inputs = (d_z @ kernel.T).reshape(inputs.shape)
    d_kernel = inputs.reshape(steps * batch, features).T @ d_z
    d_recurrent = h_previous.T @ d_z
    d_bias = jnp.sum(d_z, axis=0)
    return d_inputs, d_h0, d_c0, d_kernel, d_recurrent, d_bias


lstm_sequence.defvjp(_lstm_forward, _lstm_backward)
