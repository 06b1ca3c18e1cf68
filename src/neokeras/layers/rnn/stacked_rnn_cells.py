"""`StackedRNNCells`: several RNN cells run as one, each feeding the next at every step."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer
from neokeras.utils import tree


@keras_name("keras.layers.StackedRNNCells")
class StackedRNNCells(Layer):
    """Wraps a list of cells so that `RNN` runs them as one deep cell.

    `RNN([cell_1, cell_2])` builds one of these. The state is the list of the cells' states.

    Args:
        cells: List of RNN cells (layers with `call(inputs, states)` and `state_size`).
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        cells = list(cells)
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError(
                    "StackedRNNCells(cells=...) expects RNN cells, layers with `call` and a "
                    f"`state_size` attribute. Received: {cell!r}")
        if not cells:
            raise ValueError("StackedRNNCells(cells=...) needs at least one cell.")
        self.cells = cells

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        states = []
        for cell in self.cells:
            make = getattr(cell, "get_initial_state", None)
            if make is not None:
                states.append(make(batch_size=batch_size))
            elif isinstance(cell.state_size, (list, tuple)):
                states.append([ops.zeros((batch_size, size), dtype=self.compute_dtype)
                               for size in cell.state_size])
            else:
                states.append(ops.zeros((batch_size, cell.state_size), dtype=self.compute_dtype))
        return states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            input_shape = (tree.flatten(input_shape)[0], _output_size(cell))

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = tree.is_nested(cell_states)
            kwargs = {"training": training} if getattr(cell, "_call_has_training_arg",
                                                        False) else {}
            inputs, cell_states = cell(inputs, list(cell_states) if nested else [cell_states],
                                       **kwargs)
            cell_states = list(cell_states) if tree.is_nested(cell_states) else [cell_states]
            new_states.append(cell_states if nested or len(cell_states) > 1 else cell_states[0])
        return inputs, new_states

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {**super().get_config(),
                "cells": [serialize_keras_object(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = dict(config)
        cells = [deserialize_keras_object(c, custom_objects=custom_objects)
                 for c in config.pop("cells")]
        return cls(cells, **config)


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    return cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) else cell.state_size
