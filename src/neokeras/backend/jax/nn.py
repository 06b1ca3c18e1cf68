"""Neural-network primitives on `jax.Array`: activations, softmax, one-hot, crossentropies."""

import jax
import jax.numpy as jnp

from neokeras.backend.jax.core import convert_to_tensor as _t

__all__ = [
    "relu", "relu6", "sigmoid", "hard_sigmoid", "softplus", "softsign", "silu", "gelu", "elu",
    "selu", "leaky_relu", "softmax", "log_softmax", "one_hot", "log_sigmoid", "mish",
    "hard_silu", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy",
]


def relu(x):
    return jax.nn.relu(_t(x))


def relu6(x):
    return jax.nn.relu6(_t(x))


def sigmoid(x):
    return jax.nn.sigmoid(_t(x))


def log_sigmoid(x):
    return jax.nn.log_sigmoid(_t(x))


def hard_sigmoid(x):
    # Keras's definition: relu6(x + 3) / 6, i.e. clip(x / 6 + 0.5, 0, 1).
    return jnp.clip(_t(x) / 6.0 + 0.5, 0.0, 1.0)


def hard_silu(x):
    x = _t(x)
    return x * hard_sigmoid(x)


def softplus(x):
    return jax.nn.softplus(_t(x))


def softsign(x):
    return jax.nn.soft_sign(_t(x))


def silu(x):
    return jax.nn.silu(_t(x))


def gelu(x, approximate=True):
    return jax.nn.gelu(_t(x), approximate=approximate)


def elu(x, alpha=1.0):
    return jax.nn.elu(_t(x), alpha=alpha)


def selu(x):
    return jax.nn.selu(_t(x))


def leaky_relu(x, negative_slope=0.2):
    return jax.nn.leaky_relu(_t(x), negative_slope=negative_slope)


def mish(x):
    x = _t(x)
    return x * jnp.tanh(jax.nn.softplus(x))


def softmax(x, axis=-1):
    return jax.nn.softmax(_t(x), axis=axis)


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_t(x), axis=axis)


def one_hot(x, num_classes, axis=-1, dtype=None):
    from neokeras import config

    return jax.nn.one_hot(_t(x), num_classes, axis=axis, dtype=dtype or config.floatx())


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary crossentropy; stable for logits, clipped by `epsilon()` otherwise."""
    from neokeras import config

    target, output = _t(target), _t(output)
    if from_logits:
        # max(x, 0) - x * z + log(1 + exp(-|x|)), the overflow-free form.
        return jnp.maximum(output, 0) - output * target + jnp.log1p(jnp.exp(-jnp.abs(output)))
    eps = config.epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    return -(target * jnp.log(output) + (1.0 - target) * jnp.log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between one-hot (or soft) targets and probabilities or logits."""
    from neokeras import config

    target, output = _t(target), _t(output)
    if from_logits:
        return -jnp.sum(target * jax.nn.log_softmax(output, axis=axis), axis=axis)
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    eps = config.epsilon()
    output = jnp.clip(output, eps, 1.0 - eps)
    return -jnp.sum(target * jnp.log(output), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Crossentropy between integer class targets and probabilities or logits."""
    target, output = _t(target), _t(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    one_hot_target = jax.nn.one_hot(target.astype("int32"), output.shape[axis], axis=axis,
                                    dtype=output.dtype)
    return categorical_crossentropy(one_hot_target, output, from_logits=from_logits, axis=axis)
