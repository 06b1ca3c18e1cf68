"""`TimeDistributed`: applies a layer to every timestep of a sequence."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.core.wrapper import Wrapper


@keras_name("keras.layers.TimeDistributed")
class TimeDistributed(Wrapper):
    """Applies `layer` independently to each slice `inputs[:, t]`.

    Args:
        layer: The layer to apply (its weights are shared across timesteps).

    Input shape: `(batch, timesteps, ...)`. Output shape: `(batch, timesteps, ...)`, the
    trailing dimensions being those of `layer`'s output.
    """

    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(
                f"TimeDistributed '{self.name}' expects inputs of rank >= 3 "
                f"(batch, timesteps, ...). Received input_shape={tuple(input_shape)}")
        if not self.layer.built:
            self.layer.build((input_shape[0],) + tuple(input_shape[2:]))
            self.layer.built = True

    def call(self, inputs, training=None, mask=None):
        if mask is not None and (len(mask.shape) < 2 or any(
                m is not None and i is not None and m != i
                for m, i in zip(mask.shape[:2], inputs.shape[:2]))):
            raise ValueError(
                f"TimeDistributed '{self.name}': the mask must start with the (batch, "
                f"timesteps) dimensions of the inputs. Received: mask.shape="
                f"{tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}")
        if mask is None or not self.layer._call_has_mask_arg:
            mask = None
        if training:
            return self._call_per_step(inputs, training, mask)
        # Outside training a layer maps each sample on its own (no batch statistics, no
        # random draws), so one call on the batch x time samples gives the same outputs.
        batch, steps = ops.shape(inputs)[0], ops.shape(inputs)[1]
        flat = ops.reshape(inputs, (-1,) + tuple(inputs.shape[2:]))
        kwargs = {}
        if mask is not None:
            kwargs["mask"] = ops.reshape(mask, (-1,) + tuple(mask.shape[2:]))
        outputs = self.layer(flat, training=training, **kwargs)
        return ops.reshape(outputs, (batch, steps) + tuple(outputs.shape[1:]))

    def _call_per_step(self, inputs, training, mask):
        """As Keras 3: one call per timestep, so a BatchNormalization normalizes each step with
        that step's batch statistics (and updates its moving averages once per step), and
        random layers draw for each step. (Keras 2 reshapes to batch x time when the batch
        size is not fixed: one set of statistics over all steps.)"""
        outputs = []
        for step in range(inputs.shape[1]):
            kwargs = {} if mask is None else {"mask": mask[:, step]}
            outputs.append(self.layer(inputs[:, step], training=training, **kwargs))
        return ops.stack(outputs, axis=1)
