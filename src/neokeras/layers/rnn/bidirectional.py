"""`Bidirectional`: runs a recurrent layer forwards and backwards and merges the results."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.utils import tree

_MERGE_MODES = ("sum", "mul", "concat", "ave", None)


def _strip(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


@keras_name("keras.layers.Bidirectional")
class Bidirectional(Layer):
    """Bidirectional wrapper of an RNN layer.

    Args:
        layer: The recurrent layer (e.g. `LSTM`) run forwards; a copy with `go_backwards`
            flipped runs backwards unless `backward_layer` is given.
        merge_mode: How the two outputs combine: `"concat"` (default), `"sum"`, `"mul"`,
            `"ave"`, or None (a list of both outputs).
        backward_layer: Optional recurrent layer for the backward direction.

    With `return_state=True` the call returns the merged output(s), then the forward states,
    then the backward states.
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        super().__init__(weights=weights, **kwargs)
        if not isinstance(layer, Layer) or not hasattr(layer, "go_backwards"):
            raise ValueError(
                "Bidirectional(layer=...) expects a recurrent layer such as LSTM or GRU. "
                f"Received: layer={layer!r}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(
                f"Bidirectional(merge_mode=...) must be one of {_MERGE_MODES}. "
                f"Received: merge_mode={merge_mode!r}")
        config = layer.get_config()
        config["name"] = "forward_" + _strip(layer.name, "forward_")
        forward = type(layer).from_config(config)
        if backward_layer is None:
            config = layer.get_config()
            config["go_backwards"] = not config["go_backwards"]
            config["name"] = "backward_" + _strip(layer.name, "forward_")
            backward_layer = type(layer).from_config(config)
        elif not isinstance(backward_layer, Layer):
            raise ValueError(
                f"Bidirectional(backward_layer=...) must be a layer. Received: {backward_layer!r}")
        if backward_layer.go_backwards == forward.go_backwards:
            raise ValueError(
                "Bidirectional: `backward_layer.go_backwards` must be the opposite of "
                f"`layer.go_backwards`. Both are {forward.go_backwards}.")
        for attribute in ("return_sequences", "return_state", "stateful"):
            if getattr(forward, attribute) != getattr(backward_layer, attribute):
                raise ValueError(
                    f"Bidirectional: forward and backward layers must have the same {attribute}.")
        self.forward_layer = forward
        self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = forward.return_sequences
        self.return_state = forward.return_state
        self.stateful = forward.stateful
        self.supports_masking = True

    def build(self, sequences_shape, initial_state_shape=None):
        for layer in (self.forward_layer, self.backward_layer):
            if not layer.built:
                layer.build(sequences_shape)
                layer.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = list(initial_state[:half]), list(initial_state[half:])
        kwargs = {"mask": mask, "training": training}
        y_forward = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_backward = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y_forward[1:]) + tuple(y_backward[1:])
            y_forward, y_backward = y_forward[0], y_backward[0]
        if self.return_sequences:  # Back into input time order.
            y_backward = ops.flip(y_backward, axis=1)
        if self.merge_mode == "concat":
            output = ops.concatenate([y_forward, y_backward], axis=-1)
        elif self.merge_mode == "sum":
            output = y_forward + y_backward
        elif self.merge_mode == "ave":
            output = (y_forward + y_backward) / 2
        elif self.merge_mode == "mul":
            output = y_forward * y_backward
        else:
            output = [y_forward, y_backward]
        if self.return_state:
            if self.merge_mode is None:
                return (*output, *states)
            return (output, *states)
        return output

    def compute_mask(self, inputs, previous_mask):
        mask = tree.flatten(previous_mask)[0] if previous_mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.merge_mode is None:
            output_mask = [output_mask, output_mask]
        else:
            output_mask = [output_mask]
        if self.return_state:
            return output_mask + [None] * (2 * len(self.forward_layer.state_size))
        return output_mask if self.merge_mode is None else output_mask[0]

    def reset_states(self):
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    reset_state = reset_states

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialize_keras_object(self.forward_layer),
                "backward_layer": serialize_keras_object(self.backward_layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_keras_object(
                config["backward_layer"], custom_objects=custom_objects)
        return cls(**config)
