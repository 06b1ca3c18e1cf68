"""`neokeras.random`: seeded random draws (`keras.random`).

Every function takes `seed`: an int (the same numbers on every call), a `SeedGenerator` (new
numbers on each call; needed inside traced functions), or None (the global generator, made
repeatable by `keras.utils.set_random_seed`; not usable while tracing). Given the same seed the
numbers are those of Keras 3 on JAX.
"""

from neokeras import backend
from neokeras.api_export import keras_name
from neokeras.backend.common.seed_generator import SeedGenerator  # noqa: F401


def _check_dtype(fn, dtype, kind):
    if dtype is None:
        return
    ok = backend.is_float_dtype(dtype) if kind == "float" else backend.is_int_dtype(dtype)
    if not ok:
        raise ValueError(
            f"`keras.random.{fn}` requires {'a floating point' if kind == 'float' else 'an integer'} "
            f"`dtype`. Received: dtype={dtype}"
        )


@keras_name("keras.random.normal")
def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution.

    Args:
        shape: Shape of the output.
        mean: Mean of the distribution.
        stddev: Standard deviation of the distribution.
        dtype: Float dtype; defaults to `keras.config.floatx()`.
        seed: Int, `SeedGenerator` or None.
    """
    _check_dtype("normal", dtype, "float")
    return backend.random.normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=seed)


@keras_name("keras.random.uniform")
def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples uniformly from `[minval, maxval)`.

    Args:
        shape: Shape of the output.
        minval: Lower bound (inclusive).
        maxval: Upper bound (exclusive).
        dtype: Float dtype; defaults to `keras.config.floatx()`.
        seed: Int, `SeedGenerator` or None.
    """
    _check_dtype("uniform", dtype, "float")
    return backend.random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=seed)


@keras_name("keras.random.truncated_normal")
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution cut at two standard deviations from the mean.

    Args:
        shape: Shape of the output.
        mean: Mean of the distribution before truncation.
        stddev: Standard deviation of the distribution before truncation.
        dtype: Float dtype; defaults to `keras.config.floatx()`.
        seed: Int, `SeedGenerator` or None.
    """
    _check_dtype("truncated_normal", dtype, "float")
    return backend.random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype,
                                           seed=seed)


@keras_name("keras.random.randint")
def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Samples integers uniformly from `[minval, maxval)`.

    Args:
        shape: Shape of the output.
        minval: Lower bound (inclusive).
        maxval: Upper bound (exclusive).
        dtype: Integer dtype.
        seed: Int, `SeedGenerator` or None.
    """
    _check_dtype("randint", dtype, "int")
    return backend.random.randint(shape, minval=minval, maxval=maxval, dtype=dtype, seed=seed)


@keras_name("keras.random.categorical")
def categorical(logits, num_samples, dtype="int32", seed=None):
    """Samples class indices from unnormalized log-probabilities.

    Args:
        logits: 2-D tensor `(batch_size, num_classes)`.
        num_samples: Number of samples per row (the output's second dimension).
        dtype: Integer dtype of the output.
        seed: Int, `SeedGenerator` or None.

    Returns:
        Tensor of shape `(batch_size, num_samples)`.
    """
    logits = backend.convert_to_tensor(logits)
    if len(logits.shape) != 2:
        raise ValueError(
            "`keras.random.categorical`: `logits` should be a 2-D tensor with shape "
            f"(batch_size, num_classes). Received: logits.shape={tuple(logits.shape)}"
        )
    return backend.random.categorical(logits, num_samples, dtype=dtype, seed=seed)


@keras_name("keras.random.dropout")
def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability `rate` and scales the others by `1 / (1 - rate)`.

    Args:
        inputs: Input tensor.
        rate: Probability of dropping an entry, in `[0, 1]`.
        noise_shape: Shape of the keep/drop mask, broadcast to the input (None entries take
            the input's size).
        seed: Int, `SeedGenerator` or None.
    """
    if not 0.0 <= float(rate) <= 1.0:
        raise ValueError(f"`keras.random.dropout`: `rate` must be in [0, 1]. Received: rate={rate}")
    return backend.random.dropout(inputs, rate, noise_shape=noise_shape, seed=seed)


@keras_name("keras.random.shuffle")
def shuffle(x, axis=0, seed=None):
    """Shuffles `x` along `axis`.

    Args:
        x: Input tensor.
        axis: Axis to shuffle along.
        seed: Int, `SeedGenerator` or None.
    """
    return backend.random.shuffle(x, axis=axis, seed=seed)


@keras_name("keras.random.gamma")
def gamma(shape, alpha, dtype=None, seed=None):
    """Samples from a Gamma distribution with shape parameter `alpha` (scale 1).

    Args:
        shape: Shape of the output.
        alpha: Float, the shape parameter.
        dtype: Float dtype; defaults to `keras.config.floatx()`.
        seed: Int, `SeedGenerator` or None.
    """
    return backend.random.gamma(shape, alpha=alpha, dtype=dtype, seed=seed)


@keras_name("keras.random.binomial")
def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Samples from a Binomial distribution (successes out of `counts` trials).

    Args:
        shape: Shape of the output.
        counts: Number of trials, broadcastable with `probabilities`.
        probabilities: Success probability of one trial.
        dtype: Float dtype; defaults to `keras.config.floatx()`.
        seed: Int, `SeedGenerator` or None.
    """
    return backend.random.binomial(shape, counts=counts, probabilities=probabilities,
                                   dtype=dtype, seed=seed)


@keras_name("keras.random.beta")
def beta(shape, alpha, beta, dtype=None, seed=None):
    """Samples from a Beta distribution.

    Args:
        shape: Shape of the output.
        alpha: First concentration parameter, broadcastable with `beta` and `shape`.
        beta: Second concentration parameter.
        dtype: Float dtype; defaults to `keras.config.floatx()`.
        seed: Int, `SeedGenerator` or None.
    """
    return backend.random.beta(shape, alpha=alpha, beta=beta, dtype=dtype, seed=seed)
