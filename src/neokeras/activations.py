"""Activation functions, by name (`"relu"`), by function (`activations.relu`) or any callable.

`get` always resolves one name to the same function object, so two layers configured with
`"tanh"` compare equal by activation.
"""

from neokeras import ops
from neokeras.api_export import keras_name

# SELU constants (Klambauer et al., 2017), as Keras uses them.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


@keras_name("keras.activations.linear")
def linear(x):
    """Identity: returns `x` unchanged."""
    return x


@keras_name("keras.activations.relu")
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit `max(x, 0)`, with optional leak, cap and threshold."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    out = ops.where(x > threshold, x, negative_slope * (x - threshold))
    if max_value is not None:
        out = ops.minimum(out, max_value)
    return out


@keras_name("keras.activations.relu6")
def relu6(x):
    """`min(max(x, 0), 6)`."""
    return ops.relu6(x)


@keras_name("keras.activations.leaky_relu")
def leaky_relu(x, negative_slope=0.2):
    """`x` if `x > 0`, else `negative_slope * x`."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


@keras_name("keras.activations.elu")
def elu(x, alpha=1.0):
    """Exponential linear unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`."""
    return ops.elu(x, alpha=alpha)


@keras_name("keras.activations.selu")
def selu(x):
    """Scaled ELU: `scale * elu(x, alpha)` with Keras's constants."""
    x = ops.convert_to_tensor(x)
    return SELU_SCALE * ops.where(x > 0, x, SELU_ALPHA * ops.expm1(ops.minimum(x, 0.0)))


@keras_name("keras.activations.sigmoid")
def sigmoid(x):
    """`1 / (1 + exp(-x))`."""
    return ops.sigmoid(x)


@keras_name("keras.activations.hard_sigmoid")
def hard_sigmoid(x):
    """Piecewise-linear sigmoid: `clip(x / 6 + 0.5, 0, 1)`."""
    return ops.hard_sigmoid(x)


@keras_name("keras.activations.tanh")
def tanh(x):
    """Hyperbolic tangent."""
    return ops.tanh(x)


@keras_name("keras.activations.softplus")
def softplus(x):
    """`log(exp(x) + 1)`."""
    return ops.softplus(x)


@keras_name("keras.activations.softsign")
def softsign(x):
    """`x / (abs(x) + 1)`."""
    return ops.softsign(x)


@keras_name("keras.activations.softmax")
def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` along `axis`."""
    return ops.softmax(x, axis=axis)


@keras_name("keras.activations.log_softmax")
def log_softmax(x, axis=-1):
    """`x - logsumexp(x)` along `axis`."""
    return ops.log_softmax(x, axis=axis)


@keras_name("keras.activations.exponential")
def exponential(x):
    """`exp(x)`."""
    return ops.exp(x)


@keras_name("keras.activations.gelu")
def gelu(x, approximate=False):
    """Gaussian error linear unit (exact by default, tanh approximation if `approximate`)."""
    return ops.gelu(x, approximate=approximate)


@keras_name("keras.activations.silu", "keras.activations.swish")
def silu(x):
    """Sigmoid linear unit `x * sigmoid(x)` (also called swish)."""
    return ops.silu(x)


swish = silu


@keras_name("keras.activations.hard_silu", "keras.activations.hard_swish")
def hard_silu(x):
    """Piecewise-linear silu: `x * relu6(x + 3) / 6` (also called hard swish)."""
    return ops.hard_silu(x)


hard_swish = hard_silu


@keras_name("keras.activations.mish")
def mish(x):
    """`x * tanh(softplus(x))`."""
    return ops.mish(x)


@keras_name("keras.activations.celu")
def celu(x, alpha=1.0):
    """Continuously differentiable ELU: `x` if `x > 0`, else `alpha * (exp(x / alpha) - 1)`."""
    return ops.celu(x, alpha=alpha)


@keras_name("keras.activations.glu")
def glu(x, axis=-1):
    """Gated linear unit: splits `x` in halves `a, b` along `axis`, returns `a * sigmoid(b)`."""
    return ops.glu(x, axis=axis)


@keras_name("keras.activations.hard_tanh")
def hard_tanh(x):
    """`clip(x, -1, 1)`."""
    return ops.hard_tanh(x)


@keras_name("keras.activations.hard_shrink")
def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    return ops.hard_shrink(x, threshold=threshold)


@keras_name("keras.activations.soft_shrink")
def soft_shrink(x, threshold=0.5):
    """Shrinks `x` towards 0 by `threshold`: `x - threshold`, `x + threshold` or 0."""
    return ops.soft_shrink(x, threshold=threshold)


@keras_name("keras.activations.tanh_shrink")
def tanh_shrink(x):
    """`x - tanh(x)`."""
    return ops.tanh_shrink(x)


@keras_name("keras.activations.threshold")
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    return ops.threshold(x, threshold, default_value)


@keras_name("keras.activations.log_sigmoid")
def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably."""
    return ops.log_sigmoid(x)


@keras_name("keras.activations.sparse_sigmoid")
def sparse_sigmoid(x):
    """Piecewise-linear sigmoid: 0 below -1, 1 above 1, `(x + 1) / 2` between."""
    return ops.sparse_sigmoid(x)


@keras_name("keras.activations.sparse_plus")
def sparse_plus(x):
    """Smooth ReLU: 0 below -1, `x` above 1, `(x + 1)**2 / 4` between."""
    return ops.sparse_plus(x)


@keras_name("keras.activations.squareplus")
def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`, a smooth ReLU."""
    return ops.squareplus(x, b=b)


@keras_name("keras.activations.sparsemax")
def sparsemax(x, axis=-1):
    """Euclidean projection of `x` onto the probability simplex along `axis` (sparse softmax)."""
    return ops.sparsemax(x, axis=axis)


_BY_NAME = {
    "linear": linear, "relu": relu, "relu6": relu6, "leaky_relu": leaky_relu, "elu": elu,
    "selu": selu, "sigmoid": sigmoid, "hard_sigmoid": hard_sigmoid, "tanh": tanh,
    "softplus": softplus, "softsign": softsign, "softmax": softmax, "log_softmax": log_softmax,
    "exponential": exponential, "gelu": gelu, "silu": silu, "swish": silu, "mish": mish,
    "hard_silu": hard_silu, "hard_swish": hard_silu, "celu": celu, "glu": glu,
    "hard_tanh": hard_tanh, "hard_shrink": hard_shrink, "soft_shrink": soft_shrink,
    "tanh_shrink": tanh_shrink, "threshold": threshold, "log_sigmoid": log_sigmoid,
    "sparse_sigmoid": sparse_sigmoid, "sparse_plus": sparse_plus, "squareplus": squareplus,
    "sparsemax": sparsemax,
}


def get(identifier):
    """Resolves an activation: None (linear), a name, a serialized dict, or a callable.

    Raises:
        ValueError: for an unknown name, listing the known ones.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        fn = _BY_NAME.get(identifier)
        if fn is None:
            from neokeras.saving import object_registration

            fn = object_registration.get_custom_object(identifier)
        if fn is None:
            raise ValueError(
                f"Unknown activation {identifier!r}. Known activations: {sorted(_BY_NAME)}."
            )
        return fn
    if isinstance(identifier, dict):
        from neokeras.saving.serialization import deserialize_keras_object

        return deserialize_keras_object(identifier, module_objects=_BY_NAME)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation identifier: {identifier!r}")


def serialize(activation):
    """The name of a built-in activation, or a serialized dict for a custom one."""
    for name, fn in _BY_NAME.items():
        if fn is activation and name not in ("swish", "hard_swish"):
            return name
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects=_BY_NAME, custom_objects=custom_objects)
