"""`keras.experimental.WideDeepModel` trains as tf-keras 2.21's, with one optimizer or with
`[linear_optimizer, dnn_optimizer]` (oracle: tf-keras runs, see `premade_reference.py`)."""

import numpy as np
import pytest

import neokeras as keras

from premade_reference import DATA, REFERENCE, flat, gen, reference_flat


def _model(activation=None):
    keras.backend.clear_session()
    linear = keras.experimental.LinearModel()
    dnn = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    dnn.build((None, 4))
    dnn.set_weights(gen.dnn_weights())
    return keras.experimental.WideDeepModel(linear, dnn, activation=activation)


def _optimizers(case):
    if case == "wide_deep_two_optimizers":
        return [keras.optimizers.SGD(0.05), keras.optimizers.Adam(0.01)], None
    return keras.optimizers.SGD(0.05), "sigmoid"


@pytest.mark.parametrize("case", ["wide_deep_two_optimizers", "wide_deep_one_optimizer"])
def test_fit_matches_tf_keras(case):
    optimizer, activation = _optimizers(case)
    model = _model(activation)
    model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
    x = [DATA["a"], DATA["d"]]
    history = model.fit(x, DATA["y"], batch_size=4, epochs=3, shuffle=False, verbose=0)
    expected = REFERENCE[case]
    for key in ("loss", "mae"):
        np.testing.assert_allclose(history.history[key], expected["history"][key], rtol=1e-5)
    np.testing.assert_allclose(flat(model.linear_model.get_weights()),
                               reference_flat(expected["linear_weights"]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(flat(model.dnn_model.get_weights()),
                               reference_flat(expected["dnn_weights"]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected["predictions"],
                               rtol=1e-5, atol=1e-6)
    assert sorted(model.get_config()) == expected["config_keys"]
    assert model.get_config()["activation"] == expected["activation"]


def test_two_optimizers_each_update_their_own_model():
    model = _model()
    sgd, adam = keras.optimizers.SGD(0.05), keras.optimizers.Adam(0.01)
    model.compile(optimizer=[sgd, adam], loss="mse")
    model.fit([DATA["a"], DATA["d"]], DATA["y"], batch_size=4, epochs=1, verbose=0)
    assert model.optimizer[0] is sgd and model.optimizer[1] is adam and len(model.optimizer) == 2
    assert int(sgd.iterations.numpy()) == int(adam.iterations.numpy()) == 3
    # Adam's slots exist for the DNN's four variables only; SGD (no momentum) has none.
    assert len(adam.variables) == 2 + 2 * 4 and len(sgd.variables) == 2
    with pytest.raises(AttributeError, match=r"model.optimizer\[0\]"):
        model.optimizer.learning_rate


def test_one_input_feeds_both_models():
    model = _model()
    x = DATA["d"]
    expected = model.linear_model(x) + model.dnn_model(x)
    np.testing.assert_allclose(model.predict(x, verbose=0), np.asarray(expected), rtol=1e-6)


def test_config_round_trip_gives_the_same_model():
    model = _model(activation="sigmoid")
    x = [DATA["a"], DATA["d"]]
    before = model.predict(x, verbose=0)
    clone = keras.experimental.WideDeepModel.from_config(model.get_config())
    clone.predict(x, verbose=0)
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(x, verbose=0), before, rtol=1e-6)
    assert clone.get_config() == model.get_config()


def test_a_list_of_three_optimizers_fails_early():
    with pytest.raises(ValueError, match="two"):
        _model().compile(optimizer=["sgd", "adam", "sgd"], loss="mse")


def test_keras_file_keeps_both_optimizers_and_their_state(tmp_path):
    model = _model()
    model.compile(optimizer=[keras.optimizers.SGD(0.05, momentum=0.9),
                             keras.optimizers.Adam(0.01)], loss="mse")
    x = [DATA["a"], DATA["d"]]
    model.fit(x, DATA["y"], batch_size=4, epochs=1, shuffle=False, verbose=0)
    model.save(tmp_path / "wide_deep.keras")
    loaded = keras.models.load_model(tmp_path / "wide_deep.keras")
    assert [type(o).__name__ for o in loaded.optimizer] == ["SGD", "Adam"]
    for ours, theirs in zip(loaded.optimizer, model.optimizer):
        np.testing.assert_allclose(flat(v.numpy() for v in ours.variables),
                                   flat(v.numpy() for v in theirs.variables), rtol=1e-6)
    # Training on from the file continues exactly as the original model does.
    for m in (model, loaded):
        m.fit(x, DATA["y"], batch_size=4, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(flat(loaded.get_weights()), flat(model.get_weights()), rtol=1e-5)
