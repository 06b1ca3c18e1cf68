"""`Softmax`: softmax over one or more axes, with an optional mask."""

from neokeras import activations
from neokeras import backend
from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


def _large_negative(dtype):
    """A finite number far below any logit, that the dtype can represent."""
    return -3e4 if str(dtype) in ("float16", "bfloat16") else -1e9


@keras_name("keras.layers.Softmax")
class Softmax(Layer):
    """Softmax activation.

    Args:
        axis: Int or list of ints, the axes the softmax normalizes over (default -1).

    Call arguments:
        inputs: The logits.
        mask: Optional boolean (or 0/1) tensor broadcastable to `inputs`: `False` entries get
            probability 0.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.built = True  # nothing to build (as Keras: no build_config)
        if isinstance(axis, (list, tuple)):
            axis = [int(a) for a in axis]
        else:
            axis = int(axis)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = self._standardize_mask(inputs, mask)
            inputs = ops.where(mask, inputs, _large_negative(inputs.dtype))
        if isinstance(self.axis, list) and len(self.axis) > 1:
            outputs = ops.exp(inputs - ops.logsumexp(inputs, axis=self.axis, keepdims=True))
        else:
            axis = self.axis[0] if isinstance(self.axis, list) else self.axis
            outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            outputs = ops.where(mask, outputs, ops.zeros_like(outputs))
        return outputs

    def _standardize_mask(self, inputs, mask):
        if len(mask.shape) > len(inputs.shape) or any(
                m not in (1, i) for m, i in zip(mask.shape[::-1], inputs.shape[::-1])
                if m is not None and i is not None):
            raise ValueError(
                f"Softmax '{self.name}': the mask must be broadcastable to the inputs. Received: "
                f"inputs.shape={tuple(inputs.shape)}, mask.shape={tuple(mask.shape)}")
        if backend.standardize_dtype(mask.dtype) != "bool":
            mask = mask > 0.5
        return mask

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
