"""Random numbers from explicit PRNG keys, drawn as Keras's JAX backend draws them.

A `seed` is an int (the raw key `[seed, 0]`), a `SeedGenerator` (whose state is the key and
advances on each draw, also inside compiled steps), a raw `uint32[2]` key array, or None (the
global generator; not allowed while tracing). The same seed gives the same numbers as real Keras.
"""

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


# Initial values of weights are drawn on the host: a `jax.random` draw compiles a program per
# new shape (about a second each on a busy CPU), which made building models slow. These draws
# are seeded by the same keys but do not reproduce Keras's numbers; under tracing they fall back
# to the `jax.random` draws above.


def _host(draw, traced, a_default, b_default):
    def host_draw(shape, a=a_default, b=b_default, dtype=None, seed=None):
        key = _key(seed)
        if isinstance(key, jax.core.Tracer):
            return traced(shape, a, b, dtype=dtype, seed=key)
        host = np.random.default_rng(np.asarray(key, dtype=np.uint32).tolist())
        return jax.device_put(draw(host, a, b, _shape(shape)).astype(dtype or config.floatx()))

    return host_draw


def _truncated(host, mean, stddev, shape):
    sample = host.standard_normal(shape)
    outside = np.abs(sample) > 2.0
    while outside.any():
        sample[outside] = host.standard_normal(int(outside.sum()))
        outside = np.abs(sample) > 2.0
    return sample * stddev + mean


host_normal = _host(lambda host, mean, stddev, shape: host.normal(mean, stddev, shape), normal,
                    0.0, 1.0)
host_uniform = _host(lambda host, low, high, shape: host.uniform(low, high, shape), uniform,
                     0.0, 1.0)
host_truncated_normal = _host(_truncated, truncated_normal, 0.0, 1.0)
