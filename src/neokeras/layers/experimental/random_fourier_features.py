"""`RandomFourierFeatures` (tf-keras `layers.experimental`): random features approximating a
shift-invariant kernel (Rahimi and Recht, 2007)."""

import math
import numbers

from neokeras import initializers
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer

_KERNELS = ("gaussian", "laplacian")


def _cauchy(shape, dtype=None):
    """Standard Cauchy samples (the Laplacian kernel's spectral density), from the global
    random state."""
    u = initializers.RandomUniform(0.0, 1.0)(shape, dtype=dtype)
    return ops.tan(math.pi * (u - 0.5))


@keras_name("keras.layers.experimental.RandomFourierFeatures")
class RandomFourierFeatures(Layer):
    """Maps inputs to `cos(x @ W / scale + b)` with random, fixed `W` and `b`.

    Inner products of the outputs approximate a Gaussian (`W ~ N(0, 1)`) or Laplacian
    (`W ~ Cauchy`) kernel of the inputs, which makes a linear model on top a kernel machine.

    Args:
        output_dim: Positive int, the number of random features.
        kernel_initializer: `"gaussian"`, `"laplacian"`, or an initializer for `W`.
        scale: Positive float, the kernel width (learnable as `kernel_scale` when the layer is
            trainable); default `sqrt(input_dim / 2)` for `"gaussian"`, else 1.
        trainable: Whether `kernel_scale` is learned (default False).
    """

    def __init__(self, output_dim, kernel_initializer="gaussian", scale=None, trainable=False,
                 name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if isinstance(output_dim, bool) or not isinstance(output_dim, numbers.Integral) or (
                output_dim <= 0):
            raise ValueError("RandomFourierFeatures(output_dim=...) must be a positive int. "
                             f"Received: output_dim={output_dim!r}")
        if isinstance(kernel_initializer, str) and kernel_initializer.lower() not in _KERNELS:
            raise ValueError(f"RandomFourierFeatures: unsupported kernel_initializer "
                             f"{kernel_initializer!r}; expected one of {list(_KERNELS)} or an "
                             "initializer.")
        if scale is not None and scale <= 0.0:
            raise ValueError("RandomFourierFeatures(scale=...) must be a positive float. "
                             f"Received: scale={scale!r}")
        self.output_dim = int(output_dim)
        self.kernel_initializer = kernel_initializer
        self.scale = None if scale is None else float(scale)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(f"RandomFourierFeatures '{self.name}' expects inputs of shape "
                             f"(batch, features) with known features. Received "
                             f"{tuple(input_shape)}")
        input_dim = input_shape[-1]
        initializer = self.kernel_initializer
        if isinstance(initializer, str):
            initializer = (initializers.RandomNormal(stddev=1.0)
                           if initializer.lower() == "gaussian" else _cauchy)
        else:
            initializer = initializers.get(initializer)
        self.unscaled_kernel = self.add_weight(shape=(input_dim, self.output_dim),
                                               name="unscaled_kernel", initializer=initializer,
                                               trainable=False)
        self.bias = self.add_weight(shape=(self.output_dim,), name="bias", trainable=False,
                                    initializer=initializers.RandomUniform(0.0, 2 * math.pi))
        if self.scale is None:
            gaussian = isinstance(self.kernel_initializer, str) and (
                self.kernel_initializer.lower() == "gaussian")
            self.scale = math.sqrt(input_dim / 2.0) if gaussian else 1.0
        self.kernel_scale = self.add_weight(shape=(1,), name="kernel_scale",
                                            initializer=initializers.Constant(self.scale),
                                            constraint="non_neg")
        self.input_spec = InputSpec(ndim=2, axes={1: input_dim})

    def call(self, inputs):
        kernel = self.unscaled_kernel / self.kernel_scale
        return ops.cos(ops.matmul(ops.cast(inputs, kernel.dtype), kernel) + self.bias)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.output_dim,)

    def get_config(self):
        initializer = self.kernel_initializer
        if not isinstance(initializer, str):
            initializer = initializers.serialize(initializers.get(initializer))
        return {**super().get_config(), "output_dim": self.output_dim,
                "kernel_initializer": initializer, "scale": self.scale}
