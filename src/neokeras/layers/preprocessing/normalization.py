"""`Normalization`: shifts and scales features to zero mean and unit variance."""

import numpy as np

from neokeras import config as config_module
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Normalization")
class Normalization(Layer):
    """Computes `(inputs - mean) / sqrt(variance)` per feature.

    The statistics are given as `mean`/`variance`, or computed from data by `adapt(data)` and
    then stored as the non-trainable weights `mean` and `variance`.

    Args:
        axis: Axis (or tuple of axes) holding the features that get their own statistics;
            the other axes are averaged over. `None` means one mean/variance for everything.
        mean: Optional fixed mean (number or array broadcastable to the feature shape).
        variance: Optional fixed variance; given together with `mean`.
        invert: Apply the inverse transform, `inputs * sqrt(variance) + mean`.
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(
                "Normalization: pass both `mean` and `variance`, or neither (then call adapt). "
                f"Received: mean={mean!r}, variance={variance!r}")
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self.supports_masking = True

    def _feature_axes(self, ndim):
        axes = []
        for a in self.axis:
            if not -ndim <= a < ndim:
                raise ValueError(
                    f"Layer '{self.name}' (Normalization): axis {a} is out of range for inputs "
                    f"of rank {ndim}.")
            axes.append(a % ndim)
        if 0 in axes and ndim > 1:
            raise ValueError(f"Layer '{self.name}' (Normalization): axis 0 is the batch axis.")
        return sorted(axes)

    def build(self, input_shape):
        ndim = len(input_shape)
        self._axes = self._feature_axes(ndim)
        for a in self._axes:
            if input_shape[a] is None:
                raise ValueError(
                    f"Layer '{self.name}' (Normalization): the feature axis {a} must have a "
                    f"known size. Received input shape {tuple(input_shape)}.")
        self._broadcast_shape = tuple(input_shape[d] if d in self._axes else 1
                                      for d in range(ndim))
        stats_shape = tuple(input_shape[d] for d in self._axes)
        if self.input_mean is None:
            self.mean = self.add_weight(name="mean", shape=stats_shape, initializer="zeros",
                                        trainable=False)
            self.variance = self.add_weight(name="variance", shape=stats_shape,
                                            initializer="ones", trainable=False)
            # Keras keeps this unused counter for older files; its weight files hold it.
            self.count = self.add_weight(name="count", shape=(), dtype="int32",
                                         initializer="zeros", trainable=False)
        self.built = True

    def adapt(self, data):
        """Computes the mean and variance of `data` (an array with the batch axis first)."""
        data = np.asarray(data, dtype="float64")
        if self.input_mean is not None:
            raise ValueError(
                f"Layer '{self.name}' (Normalization) was given a fixed mean and variance; "
                "adapt() would overwrite them. Create it without mean/variance to adapt.")
        if not self.built:
            self._maybe_build(ops.convert_to_tensor(data[:1].astype(self.compute_dtype)))
        reduce_axes = tuple(d for d in range(data.ndim) if d not in self._axes)
        shape = tuple(self.mean.shape)
        if tuple(data.shape[d] for d in self._axes) != shape:
            raise ValueError(
                f"Layer '{self.name}' (Normalization) was built for features of shape {shape}; "
                f"adapt() received data of shape {data.shape}.")
        self.mean.assign(data.mean(axis=reduce_axes).reshape(shape).astype(self.mean.dtype))
        self.variance.assign(data.var(axis=reduce_axes).reshape(shape).astype(self.mean.dtype))

    def _statistics(self):
        if self.input_mean is not None:
            mean = np.broadcast_to(np.asarray(self.input_mean, self.compute_dtype),
                                   self._broadcast_shape)
            variance = np.broadcast_to(np.asarray(self.input_variance, self.compute_dtype),
                                       self._broadcast_shape)
            return ops.convert_to_tensor(mean), ops.convert_to_tensor(variance)
        return (ops.reshape(self.mean.value, self._broadcast_shape),
                ops.reshape(self.variance.value, self._broadcast_shape))

    def call(self, inputs):
        inputs = ops.cast(inputs, self.compute_dtype)
        mean, variance = self._statistics()
        std = ops.maximum(ops.sqrt(variance), config_module.epsilon())
        if self.invert:
            return ops.add(ops.multiply(inputs, std), mean)
        return ops.divide(ops.subtract(inputs, mean), std)

    def get_config(self):
        def plain(value):
            return np.asarray(value).tolist() if isinstance(value, np.ndarray) else value

        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": plain(self.input_mean), "variance": plain(self.input_variance)}
