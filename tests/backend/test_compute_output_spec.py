"""Symbolic shapes: one trace per layer call; unknown dimensions stay unknown."""

import numpy as np

import neokeras as keras


class _Counting(keras.layers.Layer):
    def __init__(self, python_batch=False, **kwargs):
        super().__init__(**kwargs)
        self.python_batch = python_batch
        self.traces = 0

    def call(self, x):
        self.traces += 1
        if self.python_batch:  # needs the batch size as a Python int
            return keras.ops.reshape(x, (int(x.shape[0]) * 2, -1))
        return keras.ops.concatenate([x, x], axis=0)[:, :2]


def test_one_trace_and_unknown_dims_stay_unknown():
    layer = _Counting()
    y = layer(keras.Input((3,)))
    assert layer.traces == 1 and y.shape == (None, 2)


def test_python_shape_arithmetic_falls_back_to_two_probes():
    layer = _Counting(python_batch=True)
    y = layer(keras.Input((4,)))
    assert y.shape == (None, 2)
    np.testing.assert_array_equal(layer(np.ones((1, 4), "float32")).shape, (2, 2))
