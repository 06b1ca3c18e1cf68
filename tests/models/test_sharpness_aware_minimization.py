"""keras.models.experimental.SharpnessAwareMinimization against tf-keras 2.21's fit history and
final weights (recorded in tests/data/tf_keras_names.json)."""

import numpy as np
import pytest

import neokeras
from neokeras.models.experimental import SharpnessAwareMinimization
from tf_keras_fixtures import load


def _inner(weights=None):
    model = neokeras.Sequential([neokeras.Input((3,)),
                                 neokeras.layers.Dense(4, activation="tanh"),
                                 neokeras.layers.Dense(2)])
    if weights is not None:
        model.set_weights([np.asarray(w, "float32") for w in weights])
    return model


@pytest.mark.parametrize("index", range(2))
def test_fit_matches_tf_keras(index):
    data = load()["sharpness_aware_minimization"]
    case = data["cases"][index]
    inner = _inner(case["initial"])
    model = SharpnessAwareMinimization(inner, **case["kwargs"])
    model.compile(optimizer=neokeras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    history = model.fit(np.asarray(data["x"], "float32"), np.asarray(data["y"], "float32"),
                        sample_weight=np.asarray(data["sample_weight"], "float32")
                        if case["sample_weight"] else None,
                        batch_size=4, epochs=2, shuffle=False, verbose=0)
    for name, values in case["history"].items():
        np.testing.assert_allclose(history.history[name], values, rtol=2e-5, err_msg=name)
    for ours, theirs in zip(inner.get_weights(), case["final"]):
        np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=2e-6)


def test_call_predict_and_config():
    inner = _inner()
    model = SharpnessAwareMinimization(inner, rho=0.1, num_batch_splits=2, name="sam")
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), inner.predict(x, verbose=0),
                               rtol=1e-6)
    assert [v.path for v in model.trainable_variables] == [
        v.path for v in inner.trainable_variables]
    config = model.get_config()
    assert (config["name"], config["rho"], config["num_batch_splits"]) == ("sam", 0.1, 2)
    clone = SharpnessAwareMinimization.from_config(config)
    assert clone.rho == 0.1 and clone.num_batch_splits == 2
    assert len(clone.model.layers) == 2


def test_uneven_split_is_a_clear_error():
    model = SharpnessAwareMinimization(_inner(), num_batch_splits=3)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="cannot be split into num_batch_splits=3"):
        model.fit(np.ones((4, 3)), np.ones((4, 2)), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="num_batch_splits"):
        SharpnessAwareMinimization(_inner(), num_batch_splits=0)
