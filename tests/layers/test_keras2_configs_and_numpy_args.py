"""Keras 2 (tf-keras) layer configs load, and numpy numbers are accepted wherever Keras takes
Python numbers."""

import numpy as np
import pytest

from neokeras import layers

_GLOROT = {"class_name": "GlorotUniform", "config": {"seed": None}}
_ZEROS = {"class_name": "Zeros", "config": {}}
_ONES = {"class_name": "Ones", "config": {}}
_DENSE = {"name": "dd", "trainable": True, "dtype": "float32", "units": 2,
          "activation": "linear", "use_bias": True, "kernel_initializer": _GLOROT,
          "bias_initializer": _ZEROS, "kernel_regularizer": None, "bias_regularizer": None,
          "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
_GRU = {"name": "gru", "trainable": True, "dtype": "float32", "return_sequences": True,
        "return_state": False, "go_backwards": False, "stateful": False, "unroll": False,
        "time_major": False, "units": 3, "activation": "tanh",
        "recurrent_activation": "sigmoid", "use_bias": True, "kernel_initializer": _GLOROT,
        "recurrent_initializer": {"class_name": "Orthogonal", "config": {"gain": 1.0,
                                                                         "seed": None}},
        "bias_initializer": _ZEROS, "kernel_regularizer": None, "recurrent_regularizer": None,
        "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None,
        "recurrent_constraint": None, "bias_constraint": None, "dropout": 0.0,
        "recurrent_dropout": 0.0, "implementation": 2, "reset_after": True}

# (class name, tf-keras config, input shape, expected output shape)
KERAS2_CONFIGS = [
    ("BatchNormalization", {"name": "bn", "trainable": True, "dtype": "float32", "axis": [2],
                            "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
                            "beta_initializer": _ZEROS, "gamma_initializer": _ONES,
                            "moving_mean_initializer": _ZEROS,
                            "moving_variance_initializer": _ONES, "beta_regularizer": None,
                            "gamma_regularizer": None, "beta_constraint": None,
                            "gamma_constraint": None, "batch_input_shape": [None, 4, 3]},
     (2, 4, 3), (2, 4, 3)),
    ("LayerNormalization", {"name": "ln", "trainable": True,
                            "dtype": {"class_name": "Policy", "config": {"name": "float32"}},
                            "axis": [2], "epsilon": 0.001, "center": True, "scale": True,
                            "beta_initializer": _ZEROS, "gamma_initializer": _ONES,
                            "beta_regularizer": None, "gamma_regularizer": None,
                            "beta_constraint": None, "gamma_constraint": None},
     (2, 4, 3), (2, 4, 3)),
    ("Bidirectional", {"name": "bi", "trainable": True, "dtype": "float32",
                       "layer": {"class_name": "GRU", "config": _GRU}, "merge_mode": "concat",
                       "batch_input_shape": [None, 5, 2]}, (2, 5, 2), (2, 5, 6)),
    ("TimeDistributed", {"name": "td", "trainable": True, "dtype": "float32",
                         "layer": {"class_name": "Dense", "config": _DENSE}},
     (2, 3, 4), (2, 3, 2)),
    ("LeakyReLU", {"name": "lr", "trainable": True, "dtype": "float32", "alpha": 0.3},
     (2, 3), (2, 3)),
    ("Softmax", {"name": "s", "trainable": True, "dtype": "float32", "axis": [-1]},
     (2, 3), (2, 3)),
    ("ThresholdedReLU", {"name": "t", "trainable": True, "dtype": "float32", "theta": 1.0},
     (2, 3), (2, 3)),
    ("Embedding", {"name": "e", "trainable": True, "batch_input_shape": [None, 7],
                   "dtype": "float32", "input_dim": 70083, "output_dim": 3,
                   "embeddings_initializer": {"class_name": "RandomUniform",
                                              "config": {"minval": -0.05, "maxval": 0.05,
                                                         "seed": None}},
                   "embeddings_regularizer": None, "activity_regularizer": None,
                   "embeddings_constraint": None, "mask_zero": False, "input_length": 7},
     (2, 7), (2, 7, 3)),
    ("Dense", {**_DENSE, "dtype": {"class_name": "Policy", "config": {"name": "float32"}}},
     (2, 4), (2, 2)),
]


@pytest.mark.parametrize("class_name,config,shape,out", KERAS2_CONFIGS,
                         ids=[c[0] for c in KERAS2_CONFIGS])
def test_tf_keras_configs_load_and_run(class_name, config, shape, out):
    layer = layers.deserialize({"class_name": class_name, "config": config})
    x = np.random.default_rng(0).integers(0, 5, shape) if class_name == "Embedding" else \
        np.random.default_rng(0).standard_normal(shape).astype("float32")
    assert tuple(np.asarray(layer(x)).shape) == out
    again = layers.deserialize(layers.serialize(layer))
    assert again.get_config() == layer.get_config()


# Every argument below is a numpy scalar where Keras documents a Python int or float.
NUMPY_ARGS = [
    ("Embedding", dict(input_dim=np.int64(70083), output_dim=np.int32(8)), (2, 3), "int"),
    ("Dense", dict(units=np.int64(3)), (2, 4), None),
    ("Conv1D", dict(filters=np.int64(2), kernel_size=(np.int64(3),), strides=np.int32(1)),
     (2, 6, 2), None),
    ("Conv2D", dict(filters=np.int64(2), kernel_size=np.int64(3), groups=np.int64(1)),
     (1, 5, 5, 2), None),
    ("Conv2DTranspose", dict(filters=np.int64(2), kernel_size=np.int64(3)), (1, 4, 4, 1), None),
    ("SeparableConv2D", dict(filters=np.int64(2), kernel_size=np.int64(3),
                             depth_multiplier=np.int64(2)), (1, 5, 5, 2), None),
    ("DepthwiseConv2D", dict(kernel_size=np.int64(3), depth_multiplier=np.int64(2)),
     (1, 5, 5, 2), None),
    ("LSTM", dict(units=np.int64(3)), (2, 4, 2), None),
    ("GRU", dict(units=np.int64(2)), (2, 4, 2), None),
    ("SimpleRNN", dict(units=np.int32(2)), (2, 4, 2), None),
    ("Dropout", dict(rate=np.float32(0.2)), (2, 3), None),
    ("SpatialDropout1D", dict(rate=np.float64(0.1)), (2, 3, 2), None),
    ("GaussianNoise", dict(stddev=np.float32(0.1)), (2, 3), None),
    ("Reshape", dict(target_shape=[np.int64(2), 3]), (2, 6), None),
    ("Permute", dict(dims=(np.int64(2), np.int64(1))), (2, 3, 4), None),
    ("RepeatVector", dict(n=np.int64(3)), (2, 4), None),
    ("UpSampling2D", dict(size=np.int64(2)), (1, 2, 2, 1), None),
    ("ZeroPadding2D", dict(padding=np.int64(1)), (1, 2, 2, 1), None),
    ("Cropping1D", dict(cropping=np.int64(1)), (1, 4, 2), None),
    ("AveragePooling1D", dict(pool_size=np.int64(2)), (1, 4, 2), None),
    ("BatchNormalization", dict(axis=np.int64(-1), momentum=np.float32(0.9)), (2, 3), None),
    ("LayerNormalization", dict(axis=np.int64(-1), epsilon=np.float32(1e-3)), (2, 3), None),
    ("GroupNormalization", dict(groups=np.int64(2)), (2, 4), None),
    ("MultiHeadAttention", dict(num_heads=np.int64(2), key_dim=np.int64(2)), None, None),
    ("Concatenate", dict(axis=np.int64(1)), None, None),
    ("Dot", dict(axes=np.int64(1)), None, None),
    ("ReLU", dict(max_value=np.float32(6.0)), (2, 3), None),
    ("EinsumDense", dict(equation="ab,bc->ac", output_shape=np.int64(3)), (2, 4), None),
    ("AdaptiveAveragePooling1D", dict(output_size=np.int64(2)), (1, 4, 2), None),
]


@pytest.mark.parametrize("class_name,kwargs,shape,kind", NUMPY_ARGS,
                         ids=[c[0] for c in NUMPY_ARGS])
def test_numpy_numbers_are_accepted(class_name, kwargs, shape, kind):
    layer = getattr(layers, class_name)(**kwargs)
    config = layer.get_config()
    for key, value in kwargs.items():
        saved = config.get(key)
        for item in np.ravel(np.asarray(saved, dtype=object)) if saved is not None else []:
            assert not isinstance(item, np.generic), f"{key} kept a numpy scalar: {saved!r}"
    if shape is not None:
        x = np.ones(shape, "int32" if kind == "int" else "float32")
        layer(x)
