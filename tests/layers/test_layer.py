"""Layer.__call__: inputs given by the name of `call`'s first argument, as in Keras 3 (keras-hub's
Llama calls its attention layer as `self_attention(hidden_states=x, ...)`)."""

import numpy as np
import pytest

import neokeras


def make(lib):
    class Scaled(lib.layers.Layer):
        def call(self, hidden_states, scale=2.0):
            return hidden_states * scale

    return Scaled()


def test_inputs_by_the_name_of_calls_first_argument_as_keras():
    keras = pytest.importorskip("keras")
    x = np.arange(6, dtype="float32").reshape(2, 3)
    for lib in (neokeras, keras):
        layer = make(lib)
        np.testing.assert_array_equal(layer(hidden_states=x, scale=3.0), x * 3)
        inputs = lib.Input((3,))
        model = lib.Model(inputs, layer(hidden_states=inputs))
        np.testing.assert_array_equal(model.predict(x, verbose=0), x * 2)
    with pytest.raises(TypeError, match="called without inputs"):
        make(neokeras)(scale=1.0)
