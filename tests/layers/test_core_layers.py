"""Core layers (Dense, Activation, InputLayer/Input), Dropout/AlphaDropout, Flatten, Reshape,
and the Layer base features they rely on."""

import os

import numpy as np
import pytest

import neokeras as keras
from neokeras import layers
from neokeras.testing import check_layer

RNG = np.random.default_rng(0)


def real_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    return pytest.importorskip("keras")


# ---------------------------------------------------------------- Dense
@pytest.mark.parametrize("kwargs,input_shape,out_shape,n_weights", [
    ({"units": 3}, (2, 4), (2, 3), 2),
    ({"units": 5, "use_bias": False, "activation": "relu"}, (2, 4), (2, 5), 1),
    ({"units": 2, "activation": "tanh"}, (2, 3, 4), (2, 3, 2), 2),
    ({"units": 2, "kernel_regularizer": "l2", "bias_initializer": "ones"}, (3, 4), (3, 2), 2),
])
def test_dense_check_layer(kwargs, input_shape, out_shape, n_weights):
    check_layer(layers.Dense, kwargs, input_shape=input_shape, expected_output_shape=out_shape,
                expected_trainable=n_weights, expected_non_trainable=0)


def test_dense_numbers_against_numpy():
    x = RNG.standard_normal((5, 4)).astype("float32")
    w = RNG.standard_normal((4, 3)).astype("float32")
    b = RNG.standard_normal((3,)).astype("float32")
    dense = layers.Dense(3, activation="sigmoid")
    dense.build((None, 4))
    dense.set_weights([w, b])
    np.testing.assert_allclose(np.asarray(dense(x)), 1 / (1 + np.exp(-(x @ w + b))),
                               rtol=1e-5, atol=1e-6)
    x3 = RNG.standard_normal((2, 6, 4)).astype("float32")
    np.testing.assert_allclose(np.asarray(dense(x3)), 1 / (1 + np.exp(-(x3 @ w + b))),
                               rtol=1e-5, atol=1e-6)


def test_dense_matches_real_keras():
    k = real_keras()
    x = RNG.standard_normal((5, 4)).astype("float32")
    theirs = k.layers.Dense(3, activation="elu")
    theirs.build((None, 4))
    ours = layers.Dense(3, activation="elu")
    ours.build((None, 4))
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), rtol=1e-5, atol=1e-6)
    assert set(ours.get_config()) >= set(theirs.get_config()) - {"quantization_config",
                                                                 "lora_rank", "lora_alpha"}


def test_dense_weights_are_named_and_shaped():
    dense = layers.Dense(3, name="d")
    dense(np.zeros((1, 7), "float32"))
    assert [v.path for v in dense.weights] == ["d/kernel", "d/bias"]
    assert dense.kernel.shape == (7, 3) and dense.bias.shape == (3,)
    assert dense.count_params() == 7 * 3 + 3


def test_dense_bad_arguments():
    for units in (0, -1, 2.5, "3", True):
        with pytest.raises(ValueError, match="units"):
            layers.Dense(units)
    with pytest.raises(ValueError, match="Unknown activation"):
        layers.Dense(2, activation="relu7")
    with pytest.raises(ValueError, match="Unknown initializer"):
        layers.Dense(2, kernel_initializer="glorot")
    with pytest.raises(TypeError, match="unexpected keyword.*'unitz'"):
        layers.Dense(2, unitz=3)


def test_wrong_input_shape_error_names_layer_and_shapes():
    keras.backend.clear_session()
    model = keras.Sequential([layers.Dense(8, input_shape=(784,)), layers.Dense(4)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"Dense 'dense' expects input with last dimension 784, "
                                         r"got shape \(32, 100\)"):
        model.fit(np.zeros((32, 100), "float32"), np.zeros((32, 4), "float32"), verbose=0)
    with pytest.raises(ValueError, match=r"last dimension 784, got shape \(3, 100\)"):
        model.predict(np.zeros((3, 100), "float32"), verbose=0)
    dense = layers.Dense(2)
    dense(np.zeros((2, 5), "float32"))
    with pytest.raises(ValueError, match=rf"Dense '{dense.name}' expects input with last "
                                         r"dimension 5, got shape \(2, 6\)"):
        dense(np.zeros((2, 6), "float32"))
    with pytest.raises(ValueError, match="rank >= 2"):
        layers.Dense(2)(np.zeros((5,), "float32"))


# ---------------------------------------------------------------- Activation
def test_activation_layer():
    x = RNG.standard_normal((3, 4)).astype("float32")
    out = check_layer(layers.Activation, {"activation": "relu"}, input_data=x,
                      input_shape=(3, 4), expected_output_shape=(3, 4), expected_trainable=0)
    np.testing.assert_allclose(out, np.maximum(x, 0))
    assert layers.Activation("softmax").get_config()["activation"] == "softmax"
    fn = layers.Activation(keras.activations.tanh).activation
    assert fn is keras.activations.tanh
    with pytest.raises(ValueError, match="Unknown activation"):
        layers.Activation("tanhh")


# ---------------------------------------------------------------- Dropout
def test_dropout_check_layer_and_inference_identity():
    x = RNG.standard_normal((4, 5)).astype("float32")
    out = check_layer(layers.Dropout, {"rate": 0.5}, input_data=x, input_shape=(4, 5),
                      expected_output_shape=(4, 5), expected_trainable=0,
                      expected_non_trainable=0)
    np.testing.assert_array_equal(out, x)  # training is False by default
    np.testing.assert_array_equal(np.asarray(layers.Dropout(0.5)(x, training=False)), x)


def test_dropout_training_statistics():
    x = np.ones((400, 250), "float32")
    out = np.asarray(layers.Dropout(0.3, seed=1)(x, training=True))
    kept = out != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    assert abs(out.mean() - 1.0) < 0.02  # expectation preserved


def test_dropout_noise_shape_broadcasts_mask():
    x = np.ones((8, 6, 10), "float32")
    out = np.asarray(layers.Dropout(0.5, noise_shape=(None, 1, 10), seed=2)(x, training=True))
    assert np.all(out == out[:, :1, :])
    assert 0 < (out == 0).mean() < 1


def test_dropout_seeded_and_fresh_masks():
    x = np.ones((10, 10), "float32")
    a = np.asarray(layers.Dropout(0.5, seed=3)(x, training=True))
    b = np.asarray(layers.Dropout(0.5, seed=3)(x, training=True))
    np.testing.assert_array_equal(a, b)
    drop = layers.Dropout(0.5, seed=3)
    assert not np.array_equal(np.asarray(drop(x, training=True)),
                              np.asarray(drop(x, training=True)))


def test_dropout_in_fit_is_active_and_predict_is_not():
    model = keras.Sequential([keras.Input((20,)), layers.Dropout(0.5),
                              layers.Dense(1, kernel_initializer="ones", use_bias=False)])
    model.compile(keras.optimizers.SGD(0.0), "mse")
    x = np.ones((64, 20), "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), 20.0)
    np.testing.assert_allclose(model.evaluate(x, np.full((64, 1), 20.0), verbose=0), 0.0,
                               atol=1e-6)
    loss = model.fit(x, np.full((64, 1), 20.0), epochs=1, verbose=0).history["loss"][0]
    assert loss > 1.0  # masks change the outputs in training


def test_dropout_bad_rate():
    for rate in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match="rate"):
            layers.Dropout(rate)


# ---------------------------------------------------------------- AlphaDropout
def test_alpha_dropout_keeps_mean_and_variance():
    x = RNG.standard_normal((500, 400)).astype("float32")
    layer = layers.AlphaDropout(0.2, seed=1)
    np.testing.assert_array_equal(np.asarray(layer(x)), x)
    out = np.asarray(layer(x, training=True))
    assert abs(out.mean()) < 0.02 and abs(out.std() - 1.0) < 0.02
    # Dropped units all take the same value a * alpha' + b.
    alpha_p = -keras.activations.SELU_ALPHA * keras.activations.SELU_SCALE
    a = ((1 - 0.2) * (1 + 0.2 * alpha_p**2)) ** -0.5
    dropped_value = a * alpha_p + (-a * alpha_p * 0.2)
    assert abs(np.mean(np.isclose(out, dropped_value, atol=1e-5)) - 0.2) < 0.01
    check_layer(layers.AlphaDropout, {"rate": 0.3}, input_shape=(3, 4),
                expected_output_shape=(3, 4), expected_trainable=0)


def test_alpha_dropout_matches_real_keras_formula():
    k = real_keras()
    x = np.full((1000, 100), 0.7, "float32")
    ours = np.unique(np.round(np.asarray(layers.AlphaDropout(0.1, seed=1)(x, training=True)), 5))
    theirs = np.unique(np.round(np.asarray(
        k.layers.AlphaDropout(0.1, seed=1)(x, training=True)), 5))
    np.testing.assert_allclose(ours, theirs, atol=1e-4)  # same two output values


# ---------------------------------------------------------------- Flatten / Reshape
def test_flatten():
    x = RNG.standard_normal((2, 3, 4, 5)).astype("float32")
    out = check_layer(layers.Flatten, {}, input_data=x, input_shape=(2, 3, 4, 5),
                      expected_output_shape=(2, 60))
    np.testing.assert_array_equal(out, x.reshape(2, -1))
    cf = np.asarray(layers.Flatten(data_format="channels_first")(x))
    np.testing.assert_array_equal(cf, np.moveaxis(x, 1, -1).reshape(2, -1))
    assert layers.Flatten()(np.zeros((3, 1), "float32")).shape == (3, 1)
    symbolic = layers.Flatten()(keras.Input((4, 5)))
    assert symbolic.shape == (None, 20)


def test_flatten_matches_real_keras_channels_first():
    k = real_keras()
    x = RNG.standard_normal((2, 3, 4)).astype("float32")
    np.testing.assert_array_equal(
        np.asarray(layers.Flatten(data_format="channels_first")(x)),
        np.asarray(k.layers.Flatten(data_format="channels_first")(x)))


def test_reshape():
    x = RNG.standard_normal((2, 12)).astype("float32")
    out = check_layer(layers.Reshape, {"target_shape": (3, 4)}, input_data=x, input_shape=(2, 12),
                      expected_output_shape=(2, 3, 4))
    np.testing.assert_array_equal(out, x.reshape(2, 3, 4))
    np.testing.assert_array_equal(np.asarray(layers.Reshape((-1, 2))(x)), x.reshape(2, 6, 2))
    assert layers.Reshape((2, -1))(keras.Input((12,))).shape == (None, 2, 6)
    assert layers.Reshape([4, 3]).get_config()["target_shape"] == [4, 3]


def test_reshape_errors():
    with pytest.raises(ValueError, match="at most one"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match=r"cannot reshape input of shape \(2, 12\).*\(5, -1\)"):
        layers.Reshape((5, -1))(np.zeros((2, 12), "float32"))
    with pytest.raises(ValueError, match=r"target_shape \(5, 5\)"):
        layers.Reshape((5, 5))(np.zeros((2, 12), "float32"))
    with pytest.raises(ValueError, match="cannot reshape"):
        layers.Reshape((7,))(keras.Input((12,)))


# ---------------------------------------------------------------- Input / InputLayer
def test_input_and_input_layer():
    t = keras.Input(shape=(3, 4), name="x")
    assert t.shape == (None, 3, 4) and t.dtype == "float32"
    t = keras.Input(shape=(5,), batch_size=8, dtype="int32")
    assert t.shape == (8, 5) and t.dtype == "int32"
    assert keras.Input(batch_shape=(2, 7)).shape == (2, 7)
    assert keras.layers.Input is keras.Input
    layer = layers.InputLayer(shape=(6,))
    assert layer.batch_shape == (None, 6) and layer.output.shape == (None, 6)
    assert layers.InputLayer(input_shape=(6,)).batch_shape == (None, 6)
    assert layers.InputLayer(batch_input_shape=(4, 6)).batch_shape == (4, 6)
    config = layer.get_config()
    assert config["batch_shape"] == [None, 6]
    assert layers.InputLayer.from_config(config).batch_shape == (None, 6)
    with pytest.raises(ValueError, match="shape"):
        layers.InputLayer()
    with pytest.raises(ValueError, match="not both"):
        layers.InputLayer(shape=(2,), batch_shape=(None, 2))
    model = keras.Sequential([layers.InputLayer(shape=(3,)), layers.Dense(2)])
    assert model.input_shape == (None, 3) and len(model.layers) == 1


# ---------------------------------------------------------------- Layer base features
def test_unique_automatic_names():
    names = [layers.Dense(1).name for _ in range(3)]
    assert names == ["dense", "dense_1", "dense_2"]
    assert layers.Activation("relu").name == "activation"
    assert layers.Dense(1, name="out").name == "out"
    with pytest.raises(TypeError, match="name"):
        layers.Dense(1, name=3)


@pytest.mark.parametrize("kwargs,expected", [
    ({"input_shape": (784,)}, (None, 784)),
    ({"input_dim": 784}, (None, 784)),
    ({"input_shape": (6, 8), "batch_size": 32}, (32, 6, 8)),
    ({"batch_input_shape": (16, 5)}, (16, 5)),
    ({"input_shape": 9}, (None, 9)),
])
def test_first_layer_shape_kwargs(kwargs, expected):
    model = keras.Sequential([layers.Dense(2, **kwargs)])
    assert model.input_shape == expected
    assert model.built and model.layers[0].kernel.shape == (expected[-1], 2)


def test_get_set_weights_and_errors():
    dense = layers.Dense(2, name="d")
    dense.build((None, 3))
    w = [np.full((3, 2), 0.5, "float32"), np.array([1.0, -1.0], "float32")]
    dense.set_weights(w)
    for got, want in zip(dense.get_weights(), w):
        assert isinstance(got, np.ndarray)
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match=r"'d' expects 2 weight arrays.*received 1"):
        dense.set_weights(w[:1])
    with pytest.raises(ValueError, match=r"'d/kernel' has shape \(3, 2\).*shape \(2, 3\)"):
        dense.set_weights([np.zeros((2, 3)), np.zeros(2)])
    np.testing.assert_array_equal(dense.get_weights()[0], w[0])  # nothing half-assigned
    with pytest.raises(ValueError, match="built"):
        layers.Dense(2).count_params()


def test_weights_kwarg_sets_initial_weights():
    w = [np.ones((3, 2), "float32"), np.zeros(2, "float32")]
    model = keras.Sequential([layers.Dense(2, input_dim=3, weights=w)])
    np.testing.assert_allclose(model.predict(np.ones((1, 3), "float32"), verbose=0), [[3.0, 3.0]])


def test_trainable_false_freezes_weights():
    model = keras.Sequential([layers.Dense(4, input_dim=3, name="frozen"), layers.Dense(1)])
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    before = [w.copy() for w in model.get_weights()]
    model.compile("sgd", "mse")
    x = RNG.standard_normal((16, 3)).astype("float32")
    model.fit(x, np.ones((16, 1), "float32"), epochs=2, verbose=0)
    after = model.get_weights()
    np.testing.assert_array_equal(after[0], before[0])
    np.testing.assert_array_equal(after[1], before[1])
    assert not np.array_equal(after[2], before[2])
    frozen = layers.Dense(2, trainable=False)
    frozen.build((None, 2))
    assert frozen.trainable_weights == [] and len(frozen.non_trainable_weights) == 2
    assert frozen.get_config()["trainable"] is False


def test_calling_layer_on_numpy_returns_array():
    out = layers.Dense(3)(np.ones((2, 4)))  # float64 input is cast to the layer dtype
    assert out.shape == (2, 3) and str(out.dtype) == "float32"
    assert isinstance(np.asarray(out), np.ndarray)


def test_layer_build_deferred_until_first_call():
    dense = layers.Dense(2)
    assert not dense.built and dense.weights == []
    dense(np.zeros((1, 5), "float32"))
    assert dense.built and len(dense.weights) == 2


def test_symbolic_call_records_shapes():
    x = keras.Input((10,))
    y = layers.Dense(4, activation="relu")(x)
    assert y.shape == (None, 4)
    z = layers.Dense(2)(keras.Input((3, 10)))
    assert z.shape == (None, 3, 2)
