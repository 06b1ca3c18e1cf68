"""Regularizers: values (hand-computed and against Keras 3), serialization, and that kernel, bias
and activity penalties and `add_loss` terms reach the training loss in `fit`."""

import numpy as np
import pytest

import neokeras
from neokeras import layers
from neokeras import regularizers

W = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")


def test_hand_computed_values():
    np.testing.assert_allclose(regularizers.L1(0.1)(W), 0.1 * np.abs(W).sum(), rtol=1e-6)
    np.testing.assert_allclose(regularizers.L2(0.2)(W), 0.2 * np.square(W).sum(), rtol=1e-6)
    np.testing.assert_allclose(regularizers.L1L2(0.1, 0.2)(W),
                               0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum(), rtol=1e-6)
    assert float(regularizers.L1L2()(W)) == 0.0
    # Orthogonal rows give no penalty; two parallel columns the largest one, `factor`.
    assert float(regularizers.OrthogonalRegularizer(1.0)(np.eye(3, dtype="float32"))) == 0.0
    same = np.ones((3, 2), "float32")
    np.testing.assert_allclose(regularizers.OrthogonalRegularizer(1.0, "columns")(same), 1.0,
                               rtol=1e-6)


@pytest.mark.parametrize("name, kwargs", [("L1", {"l1": 0.3}), ("L2", {"l2": 0.05}),
                                          ("L1L2", {"l1": 0.01, "l2": 0.2}),
                                          ("OrthogonalRegularizer", {"factor": 0.5}),
                                          ("OrthogonalRegularizer", {"mode": "columns"})])
def test_matches_keras(name, kwargs):
    keras = pytest.importorskip("keras")
    ours = getattr(regularizers, name)(**kwargs)
    theirs = getattr(keras.regularizers, name)(**kwargs)
    np.testing.assert_allclose(ours(W), np.asarray(theirs(keras.ops.convert_to_tensor(W))),
                               rtol=1e-5)
    # Keras stores the factors rounded to float32.
    assert ours.get_config() == pytest.approx(theirs.get_config())
    restored = regularizers.deserialize(regularizers.serialize(ours))
    assert type(restored) is type(ours) and restored.get_config() == ours.get_config()


def test_get_by_name():
    assert isinstance(regularizers.get("l1"), regularizers.L1)
    assert isinstance(regularizers.get("l2"), regularizers.L2)
    assert isinstance(regularizers.get("l1_l2"), regularizers.L1L2)
    assert isinstance(regularizers.get("orthogonal_regularizer"),
                      regularizers.OrthogonalRegularizer)
    assert regularizers.get(None) is None
    config = regularizers.serialize(regularizers.L2(0.5))
    assert config["module"] == "keras.regularizers" and config["class_name"] == "L2"
    with pytest.raises(ValueError, match="Unknown regularizer"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="l2"):
        regularizers.L2(-1.0)
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="2D"):
        regularizers.OrthogonalRegularizer()(np.zeros((2, 2, 2), "float32"))


def test_penalties_reach_the_training_loss_in_fit():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 4)).astype("float32")
    y = rng.normal(size=(8, 3)).astype("float32")
    dense = layers.Dense(3, kernel_initializer="ones", bias_initializer="ones",
                         kernel_regularizer=regularizers.L2(0.1), bias_regularizer="l1",
                         activity_regularizer=regularizers.L1(0.05))
    model = neokeras.Sequential([neokeras.Input((4,)), dense])
    # A zero learning rate keeps the weights, so the logged loss is computable by hand.
    model.compile(optimizer=neokeras.optimizers.SGD(learning_rate=0.0), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    out = x @ np.ones((4, 3)) + 1.0
    data_loss = np.mean(np.square(out - y))
    penalty = 0.1 * 12 + 0.01 * 3 + 0.05 * np.abs(out).sum() / 8
    np.testing.assert_allclose(history.history["loss"][0], data_loss + penalty, rtol=1e-5)
    evaluated = model.evaluate(x, y, batch_size=8, verbose=0)
    np.testing.assert_allclose(evaluated, data_loss + penalty, rtol=1e-5)


def test_model_losses_and_add_loss():
    class Penalized(layers.Layer):
        def call(self, inputs):
            self.add_loss(2.0 * neokeras.ops.mean(inputs))
            return inputs

    x = np.ones((2, 3), "float32")
    dense = layers.Dense(2, kernel_initializer="ones", kernel_regularizer=regularizers.L1(0.5))
    model = neokeras.Sequential([neokeras.Input((3,)), Penalized(), dense])
    model.compile(optimizer=neokeras.optimizers.SGD(learning_rate=0.0), loss="mse")
    history = model.fit(x, np.zeros((2, 2), "float32"), batch_size=2, epochs=1, verbose=0)
    # data loss: outputs are 3.0 against 0; add_loss: 2 * mean(1); kernel L1: 0.5 * 6.
    np.testing.assert_allclose(history.history["loss"][0], 9.0 + 2.0 + 3.0, rtol=1e-5)
    np.testing.assert_allclose([float(v) for v in model.losses], [3.0], rtol=1e-6)
    layer = Penalized()
    layer(x)
    np.testing.assert_allclose([float(v) for v in layer.losses], [2.0])
    layer(x)  # a new outermost call replaces, not accumulates, the call's losses
    assert len(layer.losses) == 1
