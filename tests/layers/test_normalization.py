"""Normalization layers: numpy references, training behaviour, and real Keras 3."""

import numpy as np
import pytest

import neokeras
from neokeras import layers
from neokeras.testing import check_layer

RNG = np.random.default_rng(3)


def _data(*shape, loc=1.0, scale=3.0):
    return (loc + scale * RNG.standard_normal(shape)).astype("float32")


@pytest.mark.parametrize("cls,kwargs,input_shape,trainable,non_trainable", [
    (layers.BatchNormalization, {}, (4, 3), 2, 2),
    (layers.BatchNormalization, dict(axis=1, center=False), (4, 3, 5), 1, 2),
    (layers.LayerNormalization, {}, (2, 4), 2, 0),
    (layers.LayerNormalization, dict(axis=[1, 2], scale=False), (2, 3, 4), 1, 0),
    (layers.GroupNormalization, dict(groups=2), (2, 5, 4), 2, 0),
    (layers.UnitNormalization, {}, (2, 4), 0, 0),
])
def test_check_layer(cls, kwargs, input_shape, trainable, non_trainable):
    check_layer(cls, kwargs, input_shape=input_shape, expected_output_shape=input_shape,
                expected_trainable=trainable, expected_non_trainable=non_trainable)


# ---------------------------------------------------------------- BatchNormalization


def test_batch_norm_weights_order_and_initial_values():
    bn = layers.BatchNormalization()
    bn(np.zeros((2, 3), "float32"))
    assert [v.name for v in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [v.name for v in bn.non_trainable_weights] == ["moving_mean", "moving_variance"]
    np.testing.assert_allclose(bn.get_weights()[3], np.ones(3))


def test_batch_norm_training_uses_batch_stats_and_updates_moving_stats():
    x = _data(16, 3)
    bn = layers.BatchNormalization(momentum=0.8, epsilon=1e-3)
    y = np.asarray(bn(x, training=True))
    mean, var = x.mean(axis=0), x.var(axis=0)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.2 * mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.8 + 0.2 * var, rtol=1e-5)
    # Inference uses the moving statistics (and leaves them alone).
    inference = np.asarray(bn(x, training=False))
    expected = (x - 0.2 * mean) / np.sqrt(0.8 + 0.2 * var + 1e-3)
    np.testing.assert_allclose(inference, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.2 * mean, rtol=1e-5, atol=1e-6)


def test_frozen_batch_norm_runs_in_inference_mode():
    bn = layers.BatchNormalization()
    bn.trainable = False
    x = _data(8, 2)
    np.testing.assert_allclose(np.asarray(bn(x, training=True)), x / np.sqrt(1 + 1e-3),
                               rtol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.0)


def test_batch_norm_mask_ignores_masked_steps():
    x = _data(2, 4, 3)
    mask = np.array([[True, True, False, False], [True, False, False, True]])
    bn = layers.BatchNormalization(momentum=0.0)
    bn(x, training=True, mask=mask)
    np.testing.assert_allclose(bn.moving_mean.numpy(), x[mask].mean(axis=0), rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), x[mask].var(axis=0), rtol=1e-4)


def test_fit_updates_moving_stats_and_predict_uses_them():
    x = _data(64, 3, loc=5.0, scale=2.0)
    y = RNG.standard_normal((64, 1)).astype("float32")
    model = neokeras.Sequential([neokeras.Input((3,)), layers.BatchNormalization(momentum=0.5),
                                 layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=64, epochs=8, verbose=0, shuffle=False)
    bn = model.layers[0]
    # After 8 updates with momentum 0.5 the moving stats are within 0.5**8 of the data's.
    np.testing.assert_allclose(bn.moving_mean.numpy(), x.mean(axis=0), rtol=1e-2)
    np.testing.assert_allclose(bn.moving_variance.numpy(), x.var(axis=0), rtol=2e-2)
    gamma, beta, mean, var = bn.get_weights()
    dense_kernel, dense_bias = model.layers[1].get_weights()
    expected = ((x - mean) / np.sqrt(var + 1e-3) * gamma + beta) @ dense_kernel + dense_bias
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4)


def test_one_fit_step_matches_keras():
    keras = pytest.importorskip("keras")
    x = _data(32, 4, loc=2.0)
    y = RNG.standard_normal((32, 2)).astype("float32")
    init = [RNG.uniform(0.5, 1.5, 4).astype("float32"), RNG.standard_normal(4).astype("float32"),
            np.zeros(4, "float32"), np.ones(4, "float32"),
            RNG.standard_normal((4, 2)).astype("float32"), np.zeros(2, "float32")]
    weights = []
    for lib in (neokeras, keras):
        model = lib.Sequential([lib.Input((4,)), lib.layers.BatchNormalization(momentum=0.9),
                                lib.layers.Dense(2)])
        model.set_weights(init)
        model.compile(optimizer=lib.optimizers.SGD(0.1), loss="mse")
        model.fit(x, y, batch_size=32, epochs=1, verbose=0, shuffle=False)
        weights.append(model.get_weights())
    for ours, theirs in zip(*weights):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)
    assert not np.allclose(weights[0][2], 0.0)


def test_batch_norm_rejects_bad_arguments():
    with pytest.raises(TypeError, match="BatchNormalization: `axis` must be an int"):
        layers.BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="renorm_clipping"):
        layers.BatchNormalization(renorm=True, renorm_clipping={"dmax": -1.0})
    with pytest.raises(ValueError, match="out of range"):
        layers.BatchNormalization(axis=3)(np.zeros((2, 3), "float32"))


# ---------------------------------------------------------------- the other normalizations


def test_layer_norm_matches_numpy_over_several_axes():
    x = _data(2, 3, 4)
    ln = layers.LayerNormalization(axis=[1, 2], epsilon=1e-5)
    ln(x)
    gamma, beta = _data(3, 4), _data(3, 4)
    ln.set_weights([gamma, beta])
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = x.var(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(np.asarray(ln(x)), (x - mean) / np.sqrt(var + 1e-5) * gamma + beta,
                               rtol=1e-4, atol=1e-4)


def test_group_norm_limits_are_layer_and_instance_norm():
    x = _data(2, 5, 6)
    one_group = layers.GroupNormalization(groups=1, epsilon=1e-5)(x)
    mean, var = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(np.asarray(one_group), (x - mean) / np.sqrt(var + 1e-5),
                               rtol=1e-4, atol=1e-4)
    per_channel = layers.GroupNormalization(groups=-1, epsilon=1e-5)(x)
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(per_channel), (x - mean) / np.sqrt(var + 1e-5),
                               rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="groups=4 must divide the number of channels"):
        layers.GroupNormalization(groups=4)(x)


def test_unit_norm_gives_unit_vectors_and_keeps_zeros():
    x = _data(3, 4)
    x[1] = 0.0
    y = np.asarray(layers.UnitNormalization()(x))
    np.testing.assert_allclose(np.linalg.norm(y[[0, 2]], axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(y[1], 0.0)
    np.testing.assert_allclose(y[0], x[0] / np.linalg.norm(x[0]), rtol=1e-5)


KERAS_CASES = [
    ("BatchNormalization", dict(), (6, 5, 3)),
    ("BatchNormalization", dict(axis=1, momentum=0.7, scale=False), (6, 3, 4)),
    ("LayerNormalization", dict(epsilon=1e-5), (2, 5, 6)),
    ("LayerNormalization", dict(axis=[1, 2], center=False), (2, 3, 4, 5)),
    ("LayerNormalization", dict(rms_scaling=True), (2, 5)),
    ("GroupNormalization", dict(groups=2), (2, 3, 3, 4)),
    ("GroupNormalization", dict(groups=3, axis=1), (2, 6, 5)),
    ("UnitNormalization", dict(axis=[1, 2]), (2, 3, 4)),
]


@pytest.mark.parametrize("name,kwargs,input_shape", KERAS_CASES)
def test_matches_keras(name, kwargs, input_shape):
    keras = pytest.importorskip("keras")
    x = _data(*input_shape)
    import warnings

    ours = getattr(layers, name)(**kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that rms_scaling is deprecated.
        theirs = getattr(keras.layers, name)(**kwargs)
    ours(x)
    theirs(x)
    assert [v.name for v in ours.weights] == [v.path.split("/")[-1] for v in theirs.weights]
    weights = [RNG.uniform(0.5, 2.0, w.shape).astype("float32") for w in theirs.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    for training in (False, True):
        np.testing.assert_allclose(np.asarray(ours(x, training=training)),
                                   np.asarray(theirs(x, training=training)), rtol=1e-5,
                                   atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert set(ours.get_config()) == set(theirs.get_config())
