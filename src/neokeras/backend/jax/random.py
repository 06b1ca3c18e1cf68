"""Random numbers from explicit PRNG keys.

`seed` arguments accept an int, a `SeedGenerator` (whose key state advances on each draw, also
inside compiled steps) or None (a fresh draw from the global generator).
"""

import jax
import numpy as np

from neokeras import config


def make_key(seed):
    """A raw uint32[2] key array for an int seed."""
    return np.asarray(jax.random.key_data(jax.random.PRNGKey(int(seed))))


def split_key(key_data):
    """Splits a raw key into (new_state, key_for_this_draw)."""
    keys = jax.random.split(jax.random.wrap_key_data(key_data), 2)
    return jax.random.key_data(keys[0]), keys[1]


def key_data_of(key):
    return jax.random.key_data(key)


def _key(seed):
    from neokeras.backend.common.seed_generator import draw_seed

    return draw_seed(seed)


def _as_key(data):
    return jax.random.wrap_key_data(data)


def _host_generator(key_data, *params):
    """A numpy generator seeded by a concrete key, or None when anything is being traced.

    Eager draws (weight initialization) use it: numpy needs no compilation, while a
    `jax.random` draw compiles once per new shape, which made building models slow.
    """
    if any(isinstance(x, jax.core.Tracer) for x in (key_data,) + params):
        return None
    return np.random.default_rng(np.asarray(key_data, dtype=np.uint32).tolist())


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = dtype or config.floatx()
    key = _key(seed)
    host = _host_generator(key, mean, stddev)
    if host is not None:
        return jax.device_put(host.normal(mean, stddev, tuple(shape)).astype(dtype))
    return jax.random.normal(_as_key(key), tuple(shape), dtype=dtype) * stddev + mean


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = dtype or config.floatx()
    key = _key(seed)
    host = _host_generator(key, minval, maxval)
    if host is not None:
        return jax.device_put(host.uniform(minval, maxval, tuple(shape)).astype(dtype))
    return jax.random.uniform(_as_key(key), tuple(shape), dtype=dtype,
                              minval=minval, maxval=maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples redrawn until they lie within two standard deviations of the mean."""
    dtype = dtype or config.floatx()
    key = _key(seed)
    host = _host_generator(key, mean, stddev)
    if host is not None:
        sample = host.standard_normal(tuple(shape))
        outside = np.abs(sample) > 2.0
        while outside.any():
            sample[outside] = host.standard_normal(int(outside.sum()))
            outside = np.abs(sample) > 2.0
        return jax.device_put((sample * stddev + mean).astype(dtype))
    sample = jax.random.truncated_normal(_as_key(key), -2.0, 2.0, tuple(shape), dtype=dtype)
    return sample * stddev + mean


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return jax.random.randint(_as_key(_key(seed)), tuple(shape), minval, maxval, dtype=dtype)


def bernoulli(p, shape, seed=None):
    return jax.random.bernoulli(_as_key(_key(seed)), p, tuple(shape))


def permutation(n, seed=None):
    return jax.random.permutation(_as_key(_key(seed)), n)


def categorical(logits, num_samples, dtype="int32", seed=None):
    key = _as_key(_key(seed))
    out = jax.random.categorical(key, logits[..., None, :], axis=-1,
                                 shape=(logits.shape[0], num_samples))
    return out.astype(dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes elements with probability `rate` and scales the rest by `1 / (1 - rate)`."""
    from neokeras.backend.jax.core import convert_to_tensor

    inputs = convert_to_tensor(inputs)
    shape = tuple(noise_shape) if noise_shape is not None else inputs.shape
    keep = jax.random.bernoulli(_as_key(_key(seed)), 1.0 - rate, shape)
    return jax.numpy.where(keep, inputs / (1.0 - rate), 0.0).astype(inputs.dtype)
