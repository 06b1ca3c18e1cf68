"""Global pooling: `GlobalMaxPooling1D/2D/3D`, `GlobalAveragePooling1D/2D/3D`."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.convolutional._args import normalize_data_format
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer


class BaseGlobalPooling(Layer):
    """Reduces all spatial dimensions with `pool_mode` (`"max"` or `"average"`).

    Args:
        data_format: `"channels_last"` or `"channels_first"` (default: `image_data_format()`).
        keepdims: Keep the spatial dimensions with size 1 (default False).
    """

    def __init__(self, rank, pool_mode, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.pool_mode = pool_mode
        self.data_format = normalize_data_format(data_format, type(self).__name__)
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=rank + 2)
        self.built = True

    @property
    def _spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs):
        reduce = ops.max if self.pool_mode == "max" else ops.mean
        return reduce(inputs, axis=self._spatial_axes, keepdims=self.keepdims)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


_ARGS_DOC = """
    Args:
        data_format: `"channels_last"` (default) or `"channels_first"`.
        keepdims: Keep the reduced dimensions with size 1 (default False).
"""


@keras_name("keras.layers.GlobalMaxPooling1D", "keras.layers.GlobalMaxPool1D")
class GlobalMaxPooling1D(BaseGlobalPooling):
    __doc__ = "Maximum over the steps of `(batch, steps, channels)` inputs.\n" + _ARGS_DOC

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, "max", data_format=data_format, keepdims=keepdims, **kwargs)


@keras_name("keras.layers.GlobalMaxPooling2D", "keras.layers.GlobalMaxPool2D")
class GlobalMaxPooling2D(BaseGlobalPooling):
    __doc__ = "Maximum over the rows and columns of images.\n" + _ARGS_DOC

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, "max", data_format=data_format, keepdims=keepdims, **kwargs)


@keras_name("keras.layers.GlobalMaxPooling3D", "keras.layers.GlobalMaxPool3D")
class GlobalMaxPooling3D(BaseGlobalPooling):
    __doc__ = "Maximum over the three spatial dimensions of volumes.\n" + _ARGS_DOC

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, "max", data_format=data_format, keepdims=keepdims, **kwargs)


@keras_name("keras.layers.GlobalAveragePooling1D", "keras.layers.GlobalAvgPool1D")
class GlobalAveragePooling1D(BaseGlobalPooling):
    __doc__ = ("Mean over the steps of `(batch, steps, channels)` inputs; with a `mask` "
               "(`(batch, steps)`, e.g. from `Embedding(mask_zero=True)`), the mean of the "
               "unmasked steps.\n" + _ARGS_DOC)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, "average", data_format=data_format, keepdims=keepdims, **kwargs)

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        steps_axis = self._spatial_axes[0]
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), 3 - steps_axis)
        total = ops.sum(ops.where(weights > 0, inputs, 0), axis=steps_axis,
                        keepdims=self.keepdims)
        return total / ops.sum(weights, axis=steps_axis, keepdims=self.keepdims)


@keras_name("keras.layers.GlobalAveragePooling2D", "keras.layers.GlobalAvgPool2D")
class GlobalAveragePooling2D(BaseGlobalPooling):
    __doc__ = "Mean over the rows and columns of images.\n" + _ARGS_DOC

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(2, "average", data_format=data_format, keepdims=keepdims, **kwargs)


@keras_name("keras.layers.GlobalAveragePooling3D", "keras.layers.GlobalAvgPool3D")
class GlobalAveragePooling3D(BaseGlobalPooling):
    __doc__ = "Mean over the three spatial dimensions of volumes.\n" + _ARGS_DOC

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(3, "average", data_format=data_format, keepdims=keepdims, **kwargs)
