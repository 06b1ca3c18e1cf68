"""`GroupNormalization`: normalizes each sample over groups of channels."""

import numbers

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer
from neokeras.layers.normalization._common import affine_config
from neokeras.layers.normalization._common import canonical_axes
from neokeras.layers.normalization._common import upcast


@keras_name("keras.layers.GroupNormalization")
class GroupNormalization(Layer):
    """Group normalization: the channels on `axis` are split into `groups` groups, and each
    sample is normalized per group over the group's channels and all other non-batch axes.
    `groups=1` is layer normalization over all features, `groups=-1` instance normalization.

    Args:
        groups: Number of groups (default 32); must divide the channels; -1 means one group
            per channel.
        axis: The channels axis (default -1).
        epsilon: Added to the variance (default 1e-3).
        center: Whether to add the learned per-channel offset `beta`.
        scale: Whether to multiply by the learned per-channel scale `gamma`.
        beta_initializer, gamma_initializer: Initializers (`"zeros"`, `"ones"`).
        beta_regularizer, gamma_regularizer: Optional regularizers.
        beta_constraint, gamma_constraint: Optional constraints.
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or (
                groups <= 0 and groups != -1):
            raise ValueError("GroupNormalization: `groups` must be a positive int or -1. "
                             f"Received: groups={groups!r}")
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise TypeError(f"GroupNormalization: `axis` must be an int. Received: axis={axis!r}")
        self.groups = int(groups)
        self.axis = int(axis)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        (axis,) = canonical_axes(self.axis, len(input_shape), "GroupNormalization")
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(f"GroupNormalization '{self.name}' needs a known size on axis "
                             f"{self.axis}. Received input_shape={input_shape}")
        if self.groups == -1:
            self.groups = channels
        if channels % self.groups:
            raise ValueError(f"GroupNormalization '{self.name}': groups={self.groups} must "
                             f"divide the number of channels ({channels}).")
        self._axis = axis
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(shape=(channels,), name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(shape=(channels,), name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={axis: channels})

    def call(self, inputs):
        x = upcast(inputs)
        shape = tuple(x.shape)
        axis = self._axis
        # Split the channel axis into (groups, channels_per_group).
        grouped = ops.reshape(
            x, shape[:axis] + (self.groups, shape[axis] // self.groups) + shape[axis + 1:])
        reduce_axes = tuple(a for a in range(1, len(shape) + 1) if a != axis)
        mean = ops.mean(grouped, axis=reduce_axes, keepdims=True)
        variance = ops.var(grouped, axis=reduce_axes, keepdims=True)
        outputs = ops.reshape((grouped - mean) * ops.rsqrt(variance + self.epsilon), shape)
        broadcast = [1] * len(shape)
        broadcast[axis] = shape[axis]
        if self.gamma is not None:
            outputs = outputs * ops.reshape(ops.cast(self.gamma, x.dtype), broadcast)
        if self.beta is not None:
            outputs = outputs + ops.reshape(ops.cast(self.beta, x.dtype), broadcast)
        return ops.cast(outputs, inputs.dtype)

    def get_config(self):
        return {**super().get_config(), "groups": self.groups, "axis": self.axis,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                **affine_config(self)}
