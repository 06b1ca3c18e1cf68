"""Pickling and `copy.deepcopy` of models go through the `.keras` bytes, as in Keras 3: weights,
optimizer state and compile config survive, and training continues where it stopped."""

import copy
import io
import pickle

import numpy as np
import pytest

import neokeras

X = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
Y = np.stack([X.sum(1), X[:, 0] * 2], axis=1)


def _model(kind):
    layers = neokeras.layers
    if kind == "sequential":
        model = neokeras.Sequential([neokeras.Input((3,)), layers.Dense(4), layers.Dense(2)])
    elif kind == "deferred":
        model = neokeras.Sequential([layers.Dense(4), layers.Dense(2)])
    else:
        inputs = neokeras.Input((3,))
        model = neokeras.Model(inputs, layers.Dense(2)(layers.Dense(4)(inputs)))
    model.compile(neokeras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    model.fit(X, Y, epochs=2, batch_size=4, verbose=0)
    return model


@pytest.mark.parametrize("copier", [lambda m: pickle.loads(pickle.dumps(m)), copy.deepcopy],
                         ids=["pickle", "deepcopy"])
@pytest.mark.parametrize("kind", ["sequential", "deferred", "functional"])
def test_copy_keeps_weights_optimizer_state_and_compile(kind, copier):
    model = _model(kind)
    clone = copier(model)
    assert clone is not model and type(clone) is type(model)
    serialize = neokeras.saving.serialize_keras_object
    assert serialize(clone.get_compile_config()) == serialize(model.get_compile_config())
    np.testing.assert_allclose(clone.predict(X, verbose=0), model.predict(X, verbose=0))
    assert int(clone.optimizer.iterations.numpy()) == 4
    for a, b in zip(model.optimizer.variables, clone.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    # Both continue identically only if the Adam moments came along.
    history = [m.fit(X, Y, epochs=1, batch_size=4, shuffle=False, verbose=0).history for m in (model, clone)]
    np.testing.assert_allclose(history[1]["loss"], history[0]["loss"], rtol=1e-6)
    np.testing.assert_allclose(history[1]["mae"], history[0]["mae"], rtol=1e-6)


def test_unbuilt_model_pickles():
    model = neokeras.Sequential([neokeras.layers.Dense(2)], name="late")
    clone = pickle.loads(pickle.dumps(model))
    assert clone.name == "late" and not clone.built


def test_pickle_bytes_load_in_keras():
    keras = pytest.importorskip("keras")
    from keras.src.saving import saving_lib

    model = _model("functional")
    buffer = io.BytesIO()
    neokeras.saving.save_model(model, buffer)
    buffer.seek(0)
    theirs = saving_lib.load_model(buffer)
    np.testing.assert_allclose(np.asarray(theirs.predict(X, verbose=0)),
                               model.predict(X, verbose=0), rtol=1e-6)
    assert int(theirs.optimizer.iterations.numpy()) == 4
    assert isinstance(theirs, keras.Model)


@pytest.mark.parametrize("obj", [
    lambda: neokeras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
    lambda: neokeras.metrics.MeanAbsoluteError(name="m"),
    lambda: neokeras.optimizers.Adam(0.125, beta_1=0.5),
])
def test_losses_metrics_optimizers_pickle_with_their_config(obj):
    original = obj()
    clone = pickle.loads(pickle.dumps(original))
    assert type(clone) is type(original)
    assert clone.get_config() == original.get_config()
