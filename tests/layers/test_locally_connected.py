"""LocallyConnected1D/2D (Keras 2): a numpy reference of tf-keras's definition, both weight
layouts, harness, config and files."""

import itertools

import numpy as np
import pytest

import neokeras as nk
from neokeras import layers
from neokeras.testing import check_layer


def _reference(x, kernel, bias, kernel_size, strides, channels_first):
    """tf-keras implementation 1: per output position, flattened patch @ that position's matrix;
    the `(*positions, filters)` bias is reshaped (not transposed) for channels_first."""
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    spatial = x.shape[1:-1]
    out = [(n - k) // s + 1 for n, k, s in zip(spatial, kernel_size, strides)]
    y = np.zeros((x.shape[0], *out, kernel.shape[-1]), "float64")
    for p, pos in enumerate(itertools.product(*(range(n) for n in out))):
        window = tuple(slice(o * s, o * s + k) for o, s, k in zip(pos, strides, kernel_size))
        patch = x[(slice(None),) + window + (slice(None),)]
        if channels_first:  # tf-keras flattens channels-first patches channel first
            patch = np.moveaxis(patch, -1, 1)
        y[(slice(None),) + pos] = patch.reshape(x.shape[0], -1) @ kernel[p]
    if channels_first:
        y = np.moveaxis(y, -1, 1)
        return y + bias.reshape((kernel.shape[-1],) + tuple(out))
    return y + bias


@pytest.mark.parametrize("cls,kwargs,shape", [
    (layers.LocallyConnected1D, dict(filters=3, kernel_size=2), (2, 6, 2)),
    (layers.LocallyConnected1D, dict(filters=2, kernel_size=3, strides=2,
                                     data_format="channels_first"), (2, 3, 7)),
    (layers.LocallyConnected2D, dict(filters=2, kernel_size=(2, 3)), (2, 4, 5, 2)),
    (layers.LocallyConnected2D, dict(filters=3, kernel_size=2, strides=(2, 1),
                                     data_format="channels_first"), (1, 2, 5, 4)),
])
def test_matches_the_tf_keras_definition_in_both_layouts(cls, kwargs, shape):
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    one = cls(**kwargs)
    y1 = np.asarray(one(x))
    kernel, bias = one.get_weights()
    bias = np.random.default_rng(1).standard_normal(bias.shape).astype("float32")
    one.set_weights([kernel, bias])
    expected = _reference(x.astype("float64"), kernel, bias, one.kernel_size, one.strides,
                          one.data_format == "channels_first")
    np.testing.assert_allclose(np.asarray(one(x)), expected, rtol=1e-4, atol=1e-5)
    # implementation=2 with the equivalent dense kernel gives the same outputs.
    two = cls(implementation=2, **kwargs)
    two(x)
    dense = np.zeros(two.kernel.shape, "float32")
    channels_first = one.data_format == "channels_first"
    spatial = x.shape[2:] if channels_first else x.shape[1:-1]
    out = one._output_spatial
    for p, pos in enumerate(itertools.product(*(range(n) for n in out))):
        window = [range(o * s, o * s + k) for o, s, k in zip(pos, one.strides, one.kernel_size)]
        cells = list(itertools.product(*window))
        channels = x.shape[1] if channels_first else x.shape[-1]
        rows = kernel[p].reshape((channels, len(cells), -1) if channels_first
                                 else (len(cells), channels, -1))
        for i, cell in enumerate(cells):
            for c in range(channels):
                w = rows[c, i] if channels_first else rows[i, c]
                if channels_first:
                    dense[(c,) + cell + (slice(None),) + pos] = w
                else:
                    dense[cell + (c,) + pos] = w
    two.set_weights([dense, bias])
    np.testing.assert_allclose(np.asarray(two(x)), expected, rtol=1e-4, atol=1e-5)
    assert y1.shape == expected.shape and len(spatial) == one.rank


@pytest.mark.parametrize("cls,kwargs,shape,out", [
    (layers.LocallyConnected1D, dict(filters=2, kernel_size=3), (2, 5, 3), (2, 3, 2)),
    (layers.LocallyConnected2D, dict(filters=2, kernel_size=2, implementation=2,
                                     padding="same"), (2, 3, 4, 2), (2, 3, 4, 2)),
])
def test_check_layer(cls, kwargs, shape, out):
    check_layer(cls, kwargs, input_shape=shape, expected_output_shape=out, expected_trainable=2)


def test_keras2_config_and_file_round_trip(tmp_path):
    config = {"name": "lc", "trainable": True, "dtype": "float32", "filters": 4,
              "kernel_size": [3], "strides": [1], "padding": "valid",
              "data_format": "channels_last", "activation": "relu", "use_bias": True,
              "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
              "bias_initializer": {"class_name": "Zeros", "config": {}},
              "kernel_regularizer": None, "bias_regularizer": None,
              "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
              "implementation": 1, "batch_input_shape": [None, 10, 2]}
    layer = layers.deserialize({"class_name": "LocallyConnected1D", "config": config})
    model = nk.Sequential([layer])
    assert model.output_shape == (None, 8, 4)
    x = np.random.default_rng(0).standard_normal((3, 10, 2)).astype("float32")
    model.save(tmp_path / "m.keras")
    loaded = nk.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="implementation=1 supports padding='valid' only"):
        layers.LocallyConnected2D(2, 3, padding="same")
    with pytest.raises(ValueError, match=r"implementation=...\) must be 1 or 2"):
        layers.LocallyConnected1D(2, 3, implementation=3)
