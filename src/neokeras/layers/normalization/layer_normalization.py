"""`LayerNormalization`: normalizes each sample over its feature axes."""

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.layers.normalization._common import affine_config
from neokeras.layers.normalization._common import canonical_axes
from neokeras.layers.normalization._common import check_axis_arg
from neokeras.layers.normalization._common import upcast


@keras_name("keras.layers.LayerNormalization")
class LayerNormalization(Layer):
    """Layer normalization: `gamma * (x - mean) / sqrt(var + epsilon) + beta`, with the
    statistics of each sample over `axis`.

    Args:
        axis: Int or list of ints, the axes to normalize over (default -1).
        epsilon: Added to the variance (default 1e-3).
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned scale `gamma`.
        rms_scaling: Deprecated Keras option: skip centering and scale by
            `gamma / sqrt(var + epsilon)` only.
        beta_initializer, gamma_initializer: Initializers (`"zeros"`, `"ones"`).
        beta_regularizer, gamma_regularizer: Optional regularizers.
        beta_constraint, gamma_constraint: Optional constraints.
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.axis = check_axis_arg(axis, "LayerNormalization")
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        self._axes = canonical_axes(self.axis, len(input_shape), "LayerNormalization")
        shape = tuple(input_shape[a] for a in self._axes)
        if None in shape:
            raise ValueError(f"LayerNormalization '{self.name}' needs known sizes on axis "
                             f"{self.axis}. Received input_shape={input_shape}")
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)

    def call(self, inputs):
        x = upcast(inputs)
        broadcast = [1] * len(x.shape)
        for a in self._axes:
            broadcast[a] = x.shape[a]
        variance = ops.var(x, axis=self._axes, keepdims=True)
        inv = ops.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * ops.reshape(ops.cast(self.gamma, x.dtype), broadcast)
        if self.rms_scaling:
            return ops.cast(x * inv, inputs.dtype)
        outputs = (x - ops.mean(x, axis=self._axes, keepdims=True)) * inv
        if self.beta is not None:
            outputs = outputs + ops.reshape(ops.cast(self.beta, x.dtype), broadcast)
        return ops.cast(outputs, inputs.dtype)

    def get_config(self):
        axis = self.axis
        if self.built:  # Keras keeps the axes as a sorted list once built
            axis = sorted(axis) if isinstance(axis, (list, tuple)) else [axis]
        return {**super().get_config(), "axis": axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, "rms_scaling": self.rms_scaling,
                **affine_config(self)}
