"""Shared by the GPTQ and AWQ oracle tests: Keras 3.15.1's calibration hook moved onto
`quantized_call` (Keras patches `layer.call`, which a quantized layer never runs; see each
test module's docstring), and a tiny character tokenizer for the calibration configs."""

import contextlib

import numpy as np


@contextlib.contextmanager
def hook_quantized_call(keras, layers, objects, update):
    """Patches each of `layers` (a dict name -> Keras layer) so that its `quantized_call`
    first hands its input, flattened to `(-1, rows)`, to `update(objects[name], inputs)`."""
    for name, layer in layers.items():
        def hook(*args, _name=name, _forward=layer.quantized_call, **kwargs):
            rows = objects[_name].rows
            update(objects[_name], keras.ops.reshape(args[0], (-1, rows)))
            return _forward(*args, **kwargs)
        layer.quantized_call = hook
    try:
        yield
    finally:
        for layer in layers.values():
            del layer.quantized_call


class CharTokenizer:
    def tokenize(self, text):
        return np.array([ord(c) % 20 for c in text], dtype="int32")
