"""`BatchNormalization`: normalizes with batch statistics in training, moving ones otherwise."""

import numbers

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer
from neokeras.layers.normalization import batch_renorm
from neokeras.layers.normalization._common import affine_config
from neokeras.layers.normalization._common import canonical_axes
from neokeras.layers.normalization._common import upcast


@keras_name("keras.layers.BatchNormalization")
class BatchNormalization(Layer):
    """Batch normalization: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    In training (`training=True`, e.g. in `fit`) `mean` and `var` are the statistics of the
    batch over every axis but `axis`, and the moving statistics are updated as
    `moving = moving * momentum + batch * (1 - momentum)`. Otherwise (`predict`, `evaluate`,
    or a frozen layer) the moving statistics are used.

    Args:
        axis: The features axis (default -1, the channels of `"channels_last"` data).
        momentum: Momentum of the moving statistics (default 0.99).
        epsilon: Added to the variance (default 1e-3).
        center: Whether to add the learned offset `beta`.
        scale: Whether to multiply by the learned scale `gamma`.
        beta_initializer, gamma_initializer: Initializers (`"zeros"`, `"ones"`).
        moving_mean_initializer, moving_variance_initializer: Initializers (`"zeros"`,
            `"ones"`).
        beta_regularizer, gamma_regularizer: Optional regularizers.
        beta_constraint, gamma_constraint: Optional constraints.
        renorm: Use batch renormalization in training (see `batch_renorm`).
        renorm_clipping: Dict of optional `rmax`, `rmin`, `dmax` bounds of the renorm
            correction.
        renorm_momentum: Momentum of the renorm statistics.
        synchronized: Accepted for compatibility; statistics are always those of the whole
            (global) batch in a compiled step.

    Call arguments:
        inputs: Tensor of any rank.
        training: Whether to use (and update) batch statistics.
        mask: Optional `inputs.shape[:-1]` boolean mask; masked entries do not count.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and len(axis) == 1:
            axis = axis[0]  # Keras 2 configs store the axis as a one-element list
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise TypeError("BatchNormalization: `axis` must be an int. "
                            f"Received: axis={axis!r}")
        if not 0.0 <= momentum <= 1.0:
            raise ValueError("BatchNormalization: `momentum` must be in [0, 1]. "
                             f"Received: momentum={momentum!r}")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.renorm = bool(renorm)
        self.renorm_clipping = batch_renorm.check_clipping(renorm_clipping) if renorm else (
            renorm_clipping)
        self.renorm_momentum = float(renorm_momentum)
        self.synchronized = bool(synchronized)
        self.supports_masking = True

    def build(self, input_shape):
        (axis,) = canonical_axes(self.axis, len(input_shape), "BatchNormalization")
        size = input_shape[axis]
        if size is None:
            raise ValueError(f"BatchNormalization '{self.name}' needs a known size on axis "
                             f"{self.axis}. Received input_shape={input_shape}")
        shape = (size,)
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        if self.renorm:
            batch_renorm.add_renorm_weights(self, shape)
        self._axis = axis
        self._reduction_axes = tuple(a for a in range(len(input_shape)) if a != axis)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={axis: size})

    def call(self, inputs, training=None, mask=None):
        x = upcast(inputs)
        ndim = len(x.shape)
        broadcast = [1] * ndim
        broadcast[self._axis] = x.shape[self._axis]

        def param(variable):
            return ops.reshape(ops.cast(variable, x.dtype), broadcast)

        gamma = None if self.gamma is None else ops.cast(self.gamma, x.dtype)
        beta = None if self.beta is None else ops.cast(self.beta, x.dtype)
        if training and self.trainable:
            mean, variance = self._moments(x, mask)
            if self.renorm:
                gamma, beta = batch_renorm.corrected_scale_and_offset(self, mean, variance,
                                                                      gamma, beta)
                batch_renorm.update_statistics(self, mean, variance)
            else:
                for moving, batch in ((self.moving_mean, mean),
                                      (self.moving_variance, variance)):
                    batch = ops.cast(batch, moving.dtype)
                    moving.assign(moving * self.momentum + batch * (1.0 - self.momentum))
            mean, variance = ops.reshape(mean, broadcast), ops.reshape(variance, broadcast)
        else:
            mean, variance = param(self.moving_mean), param(self.moving_variance)
        inv = ops.rsqrt(variance + self.epsilon)
        if gamma is not None:
            inv = inv * ops.reshape(gamma, broadcast)
        outputs = (x - mean) * inv
        if beta is not None:
            outputs = outputs + ops.reshape(beta, broadcast)
        return ops.cast(outputs, inputs.dtype)

    def _moments(self, x, mask):
        """Mean and (biased) variance over the reduction axes, counting unmasked entries only."""
        if mask is None:
            return (ops.mean(x, axis=self._reduction_axes),
                    ops.var(x, axis=self._reduction_axes))
        if len(mask.shape) != len(x.shape) - 1:
            raise ValueError(f"BatchNormalization '{self.name}': the mask must have one "
                             f"dimension less than the inputs. Received mask.shape="
                             f"{mask.shape}, inputs.shape={x.shape}")
        weights = ops.expand_dims(ops.cast(mask, x.dtype), -1)
        count = ops.sum(ops.broadcast_to(weights, x.shape), axis=self._reduction_axes)
        count = ops.maximum(count, 1.0)
        mean = ops.sum(x * weights, axis=self._reduction_axes) / count
        shape = [1] * len(x.shape)
        shape[self._axis] = x.shape[self._axis]
        centered = (x - ops.reshape(mean, shape)) * weights
        variance = ops.sum(ops.square(centered), axis=self._reduction_axes) / count
        return mean, variance

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer":
                    initializers.serialize(self.moving_variance_initializer),
                **affine_config(self),
                "synchronized": self.synchronized, "renorm": self.renorm,
                "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum}
