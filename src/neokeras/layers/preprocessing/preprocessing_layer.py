"""`PreprocessingLayer` (Keras 2): base class of layers whose state is computed by `adapt`."""

import numpy as np

from neokeras import backend
from neokeras.api_export import keras_name
from neokeras.layers.layer import Layer


@keras_name("keras.layers.experimental.preprocessing.PreprocessingLayer")
class PreprocessingLayer(Layer):
    """Base class for layers adapted to data: subclasses implement `update_state(batch)`,
    `finalize_state()` and `reset_state()`; `adapt(data)` drives them.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._is_adapted = False

    @property
    def is_adapted(self):
        """Whether `adapt` has run on this layer."""
        return self._is_adapted

    def update_state(self, data):
        raise NotImplementedError(f"{type(self).__name__} does not implement update_state().")

    def reset_state(self):
        raise NotImplementedError(f"{type(self).__name__} does not implement reset_state().")

    def finalize_state(self):
        """Computes the final state from the accumulated batches (optional)."""

    def adapt(self, data, batch_size=None, steps=None):
        """Resets the state, feeds `data` (an array, or an iterable of batches) through
        `update_state` in batches of `batch_size` (default 32), then `finalize_state`.
        """
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray)) or backend.is_tensor(data):
            array = np.asarray(data)
            size = batch_size or 32
            batches = (array[i:i + size] for i in range(0, max(len(array), 1), size))
        else:
            batches = iter(data)
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            self.update_state(batch)
        self.finalize_state()
        self._is_adapted = True
