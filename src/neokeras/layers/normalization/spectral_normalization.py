"""`SpectralNormalization`: divides a layer's kernel by its largest singular value."""

import numbers

from neokeras import config
from neokeras import initializers
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.core.wrapper import Wrapper
from neokeras.layers.input_spec import InputSpec


def _unit(x):
    """`x` divided by its 2-norm (floored at `epsilon()`)."""
    return x / ops.maximum(ops.sqrt(ops.sum(ops.square(x))), config.epsilon())


@keras_name("keras.layers.SpectralNormalization")
class SpectralNormalization(Wrapper):
    """Spectral normalization of a layer's `kernel` (or `embeddings`) (Miyato et al., 2018).

    In training, `power_iterations` steps of power iteration refine the estimate `u` of the
    kernel's top singular vector; the kernel is then divided by the estimated largest singular
    value `sigma`, and both are stored back. Inference uses the kernel as it is.

    Args:
        layer: The wrapped layer; it must have a `kernel` or `embeddings` weight.
        power_iterations: Positive int, power-iteration steps per training call.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not isinstance(
                power_iterations, numbers.Integral) or power_iterations <= 0:
            raise ValueError("SpectralNormalization(power_iterations=...) must be a positive "
                             f"int. Received: power_iterations={power_iterations!r}")
        self.power_iterations = int(power_iterations)

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(f"SpectralNormalization '{self.name}': the wrapped "
                             f"{type(self.layer).__name__} has neither a `kernel` nor an "
                             "`embeddings` weight.")
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]), name="vector_u", trainable=False,
            initializer=initializers.TruncatedNormal(stddev=0.02), dtype=self.kernel.dtype)

    def call(self, inputs, training=False):
        if training:
            # An all-zero kernel has no direction to estimate: it is left as it is.
            u, kernel = ops.cond(ops.all(ops.equal(self.kernel.value, 0)),
                                 lambda: (self.vector_u.value, self.kernel.value),
                                 self.normalized_weights)
            self.vector_u.assign(u)
            self.kernel.assign(kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """`(u, kernel / sigma)`: the refined singular vector and the normalized kernel."""
        matrix = ops.reshape(self.kernel.value, (-1, self.kernel_shape[-1]))
        u = self.vector_u.value
        for _ in range(self.power_iterations):
            v = _unit(ops.matmul(u, ops.transpose(matrix)))
            u = _unit(ops.matmul(v, matrix))
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        sigma = ops.matmul(ops.matmul(v, matrix), ops.transpose(u))
        kernel = ops.reshape(self.kernel.value / sigma, self.kernel_shape)
        return ops.cast(u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
