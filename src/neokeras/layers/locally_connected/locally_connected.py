"""`LocallyConnected1D/2D` (Keras 2): like `Conv1D/2D`, with a separate filter bank at every
output position.

Two weight layouts, as in tf-keras: `implementation=1` keeps one `(patch, filters)` matrix per
output position, `(positions, kernel_volume * channels, filters)`; `implementation=2` keeps a
dense `input_shape + output_shape` kernel multiplied by a fixed mask of the receptive fields.
Both compute the same function, and both load tf-keras weights of that implementation.
"""

import itertools
import math
import numbers

import numpy as np

from neokeras import activations
from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.convolutional._args import normalize_data_format
from neokeras.layers.convolutional._args import normalize_padding
from neokeras.layers.convolutional._args import normalize_tuple
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer


class LocallyConnected(Layer):
    """Base of `LocallyConnected1D` and `LocallyConnected2D` (`rank` spatial dimensions)."""

    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 implementation=1, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        owner = type(self).__name__
        if isinstance(filters, bool) or not isinstance(filters, numbers.Integral) or filters <= 0:
            raise ValueError(f"{owner}(filters=...) must be a positive int. "
                             f"Received: filters={filters!r}")
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size", owner)
        self.strides = normalize_tuple(strides, self.rank, "strides", owner)
        self.padding = normalize_padding(padding, owner)
        if self.padding != "valid" and implementation == 1:
            raise ValueError(f"{owner}: implementation=1 supports padding='valid' only (as in "
                             f"tf-keras); use implementation=2. Received: padding={padding!r}")
        self.data_format = normalize_data_format(data_format, owner)
        if implementation not in (1, 2):
            raise ValueError(f"{owner}(implementation=...) must be 1 or 2 (3, tf-keras's sparse "
                             f"kernel, is not supported). Received: implementation="
                             f"{implementation!r}")
        self.implementation = int(implementation)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _split_shape(self, shape):
        """`(spatial sizes, channels)` of an input or output shape."""
        if self.data_format == "channels_last":
            return tuple(shape[1:-1]), shape[-1]
        return tuple(shape[2:]), shape[1]

    def _output_sizes(self, spatial):
        if self.padding == "same":
            return tuple(None if n is None else -(-n // s) for n, s in zip(spatial, self.strides))
        return tuple(None if n is None else (n - k) // s + 1
                     for n, k, s in zip(spatial, self.kernel_size, self.strides))

    def build(self, input_shape):
        spatial, channels = self._split_shape(input_shape)
        if None in spatial or channels is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' needs fixed spatial and "
                             f"channel sizes. Received input_shape={tuple(input_shape)}")
        self._input_spatial = spatial
        self._output_spatial = self._output_sizes(spatial)
        if min(self._output_spatial) <= 0:
            raise ValueError(f"{type(self).__name__} '{self.name}': kernel_size "
                             f"{self.kernel_size} is larger than the input {spatial}.")
        if self.implementation == 1:
            shape = (math.prod(self._output_spatial), math.prod(self.kernel_size) * channels,
                     self.filters)
        elif self.data_format == "channels_last":
            shape = spatial + (channels,) + self._output_spatial + (self.filters,)
        else:
            shape = (channels,) + spatial + (self.filters,) + self._output_spatial
        self.kernel = self.add_weight(shape=shape, name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=self._output_spatial + (self.filters,), name="bias",
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        if self.implementation == 2:
            self._kernel_mask = self._receptive_field_mask(channels)
        axes = {1: channels} if self.data_format == "channels_first" else {-1: channels}
        self.input_spec = InputSpec(ndim=self.rank + 2, axes=axes)

    def _receptive_field_mask(self, channels):
        """1 where an input position lies in an output position's window (implementation 2)."""
        mask = np.zeros(self._input_spatial + self._output_spatial, "float32")
        for out in itertools.product(*(range(n) for n in self._output_spatial)):
            window = []
            for o, s, k, n in zip(out, self.strides, self.kernel_size, self._input_spatial):
                # With "same" padding the window is centred on `o * s` (tf-keras's rule).
                start = o * s if self.padding == "valid" else max(0, o * s - k // 2)
                stop = o * s + k if self.padding == "valid" else min(n, o * s + k - k // 2)
                window.append(slice(start, stop))
            mask[tuple(window) + out] = 1.0
        if self.data_format == "channels_last":
            return mask.reshape(self._input_spatial + (1,) + self._output_spatial + (1,))
        return mask.reshape((1,) + self._input_spatial + (1,) + self._output_spatial)

    def call(self, inputs):
        if self.implementation == 1:
            outputs = self._call_per_position(inputs)
        else:
            kernel = self.kernel * ops.convert_to_tensor(self._kernel_mask, self.kernel.dtype)
            n_in = self.rank + 1
            outputs = ops.tensordot(inputs, kernel, axes=(list(range(1, n_in + 1)),
                                                          list(range(n_in))))
        if self.bias is not None:
            bias = self.bias
            if self.data_format == "channels_first":
                # tf-keras adds the `(*positions, filters)` bias reshaped, not transposed, to the
                # channels-first output; kept so that its weights give its outputs.
                bias = ops.reshape(bias, (self.filters,) + self._output_spatial)
            outputs = outputs + bias
        return self.activation(outputs)

    def _call_per_position(self, inputs):
        patches = []
        for out in itertools.product(*(range(n) for n in self._output_spatial)):
            window = tuple(slice(o * s, o * s + k)
                           for o, s, k in zip(out, self.strides, self.kernel_size))
            if self.data_format == "channels_last":
                patch = inputs[(slice(None),) + window + (slice(None),)]
            else:
                patch = inputs[(slice(None), slice(None)) + window]
            patches.append(ops.reshape(patch, (ops.shape(inputs)[0], -1)))
        stacked = ops.stack(patches, axis=0)  # (positions, batch, patch)
        outputs = ops.einsum("pbf,pfo->bpo", stacked, self.kernel)
        outputs = ops.reshape(outputs, (-1,) + self._output_spatial + (self.filters,))
        if self.data_format == "channels_first":
            outputs = ops.transpose(outputs, (0, self.rank + 1) + tuple(range(1, self.rank + 1)))
        return outputs

    def compute_output_shape(self, input_shape):
        spatial, _ = self._split_shape(input_shape)
        out = self._output_sizes(spatial)
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (self.filters,)
        return (input_shape[0], self.filters) + out

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "implementation": self.implementation}


@keras_name("keras.layers.LocallyConnected1D")
class LocallyConnected1D(LocallyConnected):
    """Unshared-weights 1D convolution: inputs `(batch, steps, channels)` (channels_last).

    Args:
        filters: Number of output channels.
        kernel_size, strides: Int or tuple of 1 int.
        padding: `"valid"`, or `"same"` with `implementation=2`.
        data_format: `"channels_last"` or `"channels_first"`.
        activation, use_bias, kernel_initializer, bias_initializer, *_regularizer,
            *_constraint: As in `Conv1D`.
        implementation: 1 (a weight matrix per position) or 2 (a masked dense kernel).
    """

    rank = 1


@keras_name("keras.layers.LocallyConnected2D")
class LocallyConnected2D(LocallyConnected):
    """Unshared-weights 2D convolution: inputs `(batch, rows, cols, channels)`
    (channels_last).

    Args: as `LocallyConnected1D`, with 2-tuples for `kernel_size` and `strides`.
    """

    rank = 2
