"""Random numbers from explicit PRNG keys, drawn as Keras's JAX backend draws them.

A `seed` is an int (the raw key `[seed, 0]`), a `SeedGenerator` (whose state is the key and
advances on each draw, also inside compiled steps), a raw `uint32[2]` key array, or None (the
global generator; not allowed while tracing). The same seed gives the same numbers as real Keras.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np

from neokeras import config

SEED_DTYPE = "uint32"


def seed_data(seed):
    """The raw key `[seed, 0]` for an int seed, the 32 low bits kept (Keras's convention)."""
    return np.array([int(seed) & 0xFFFFFFFF, 0], dtype=SEED_DTYPE)


def _key(seed):
    if isinstance(seed, (jax.Array, jax.core.Tracer)):
        return seed
    from neokeras.backend.common.seed_generator import draw_seed

    return draw_seed(seed)


def _shape(shape):
    return tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = dtype or config.floatx()
    return jax.random.normal(_key(seed), _shape(shape), dtype=dtype) * stddev + mean


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = dtype or config.floatx()
    return jax.random.uniform(_key(seed), _shape(shape), dtype=dtype, minval=minval,
                              maxval=maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples restricted to two standard deviations around the mean."""
    dtype = dtype or config.floatx()
    sample = jax.random.truncated_normal(_key(seed), -2.0, 2.0, _shape(shape), dtype=dtype)
    return sample * stddev + mean


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return jax.random.randint(_key(seed), _shape(shape), minval, maxval, dtype=dtype)


def bernoulli(p, shape, seed=None):
    return jax.random.bernoulli(_key(seed), p, _shape(shape))


def permutation(n, seed=None):
    return jax.random.permutation(_key(seed), n)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = jnp.asarray(logits)
    out = jax.random.categorical(_key(seed), logits[..., None],
                                 shape=(logits.shape[0], int(num_samples)), axis=1)
    return out.astype(dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes elements with probability `rate` and scales the rest by `1 / (1 - rate)`."""
    from neokeras.backend.jax.core import convert_to_tensor

    inputs = convert_to_tensor(inputs)
    if rate == 1.0:
        return jnp.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    if noise_shape is None:
        shape = inputs.shape
    else:
        shape = tuple(inputs.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape))
    keep_prob = 1.0 - rate
    keep = jnp.broadcast_to(jax.random.bernoulli(_key(seed), keep_prob, shape), inputs.shape)
    return jax.lax.select(keep, inputs / jnp.asarray(keep_prob, inputs.dtype),
                          jnp.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    return jax.random.permutation(_key(seed), jnp.asarray(x), axis, independent=True)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = dtype or config.floatx()
    return jax.random.gamma(_key(seed), alpha, shape=_shape(shape), dtype=dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = dtype or config.floatx()
    return jax.random.binomial(_key(seed), jnp.asarray(counts), jnp.asarray(probabilities),
                               shape=_shape(shape), dtype=dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = dtype or config.floatx()
    return jax.random.beta(_key(seed), jnp.asarray(alpha), jnp.asarray(beta),
                           shape=_shape(shape), dtype=dtype)


# Initial values of weights. A `jax.random` draw compiles a program per new shape (about a second
# each on a busy CPU), which made building models slow. With partitionable threefry (JAX's
# default) the random bits of flat element i depend only on the key and i, and the float
# transforms are elementwise. So a weight is drawn in fixed-size chunks by one compiled program
# per (distribution, dtype): the chunk's key carries its first flat index, its bits are those of
# elements `start + j`, and `jax.random`'s own float transforms turn them into the values of
# `jax.random` for the whole shape (Keras's).

_CHUNK = 1 << 16


def _chunk_random_bits(key_data, bit_width, shape):
    """Threefry bits of flat elements `start + j` for key data `[k1, k2, start]`."""
    count = key_data[2] + jax.lax.iota(np.uint32, int(np.prod(shape))).reshape(shape)
    k1, k2 = (jnp.broadcast_to(k, shape) for k in (key_data[0], key_data[1]))
    bits1, bits2 = jax.extend.random.threefry2x32_p.bind(k1, k2, jnp.zeros_like(count), count)
    if bit_width == 64:
        return (bits1.astype(np.uint64) << np.uint64(32)) | bits2.astype(np.uint64)
    return (bits1 ^ bits2).astype(f"uint{bit_width}")


def _not_for_chunks(*args):
    raise TypeError("chunk keys only draw random bits")


@functools.cache
def _chunk_impl():
    # Defined on first use: `jax.extend` imports Pallas (~25 ms on `import neokeras`).
    import jax.extend.random

    return jax.extend.random.define_prng_impl(
        key_shape=(3,), seed=_not_for_chunks, split=_not_for_chunks,
        random_bits=_chunk_random_bits, fold_in=_not_for_chunks, name="neokeras_chunk")


@functools.partial(jax.jit, static_argnums=(0, 1))
def _chunk(kind, dtype, key_data, a, b):
    # `a` and `b` are arguments (not constants) as in `jax.random`'s own programs, so that XLA
    # computes the transforms exactly as there.
    key = jax.random.wrap_key_data(key_data, impl=_chunk_impl())
    if kind == "uniform":
        return jax.random.uniform(key, (_CHUNK,), dtype, minval=a, maxval=b)
    if kind == "normal":
        return jax.random.normal(key, (_CHUNK,), dtype)
    return jax.random.truncated_normal(key, a, b, (_CHUNK,), dtype)


def _initial(kind, traced):
    def initial_draw(shape, a=0.0, b=1.0, dtype=None, seed=None):
        from neokeras.backend.jax.core import in_tracing_scope

        dtype = dtype or config.floatx()
        key = _key(seed)
        shape = _shape(shape)
        n = int(np.prod(shape))
        if (isinstance(key, jax.core.Tracer) or in_tracing_scope() or n >= 2**32
                or not jax.config.jax_threefry_partitionable):
            return traced(shape, a, b, dtype=dtype, seed=jnp.asarray(key))
        k1, k2 = np.asarray(key, np.uint32).tolist()
        low, high = (a, b) if kind == "uniform" else (-2.0, 2.0)
        flat = np.concatenate(
            [np.asarray(_chunk(kind, np.dtype(dtype).name, np.array([k1, k2, start], np.uint32),
                               low, high))
             for start in range(0, max(n, 1), _CHUNK)])[:n]
        if kind != "uniform":
            # As `sample * stddev + mean` on a JAX array: two roundings in the sample's dtype.
            flat = (flat * np.asarray(b, flat.dtype)).astype(flat.dtype) + np.asarray(a, flat.dtype)
        return jax.device_put(flat.reshape(shape))

    return initial_draw


initial_normal = _initial("normal", normal)
initial_uniform = _initial("uniform", uniform)
initial_truncated_normal = _initial("truncated_normal", truncated_normal)
