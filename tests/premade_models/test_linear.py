"""`keras.experimental.LinearModel` trains, predicts and configures as tf-keras 2.21's.

Oracle: tf-keras runs of the same data and optimizer (see `premade_reference.py`).
"""

import numpy as np
import pytest

import neokeras as keras

from premade_reference import DATA, REFERENCE, flat, reference_flat

INPUTS = {"linear_dict": lambda: {"b": DATA["b"], "a": DATA["a"]},
          "linear_list": lambda: [DATA["a"], DATA["b"]],
          "linear_single": lambda: DATA["a"]}


def _fit(case):
    keras.backend.clear_session()
    model = keras.experimental.LinearModel(**REFERENCE[case]["kwargs"])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(INPUTS[case](), DATA["y"], batch_size=4, epochs=3, shuffle=False,
                        verbose=0)
    return model, history


@pytest.mark.parametrize("case", sorted(INPUTS))
def test_fit_matches_tf_keras(case):
    model, history = _fit(case)
    expected = REFERENCE[case]
    np.testing.assert_allclose(history.history["loss"], expected["loss"], rtol=1e-5)
    # get_weights order is tf-keras's: one kernel per input (sorted dict keys), then the bias.
    assert [w.shape for w in model.get_weights()] == [
        (len(values) // model.units, model.units) if "kernel" in name else (len(values),)
        for name, values in expected["weights"]]
    np.testing.assert_allclose(flat(model.get_weights()), reference_flat(expected["weights"]),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(INPUTS[case](), verbose=0),
                               expected["predictions"], rtol=1e-5, atol=1e-6)
    config = model.get_config()
    config.pop("dtype")
    assert config == {k: v for k, v in expected["config"].items() if k != "dtype"}


def test_dict_inputs_get_one_kernel_per_key_named_by_it():
    model, _ = _fit("linear_dict")
    assert [layer.name for layer in model.dense_layers] == ["a", "b"]
    with pytest.raises(ValueError, match="missing: \\['b'\\]"):
        model({"a": DATA["a"]})


def test_config_round_trip_and_keras_file(tmp_path):
    model, _ = _fit("linear_list")
    clone = keras.experimental.LinearModel.from_config(model.get_config())
    assert clone.get_config() == model.get_config()
    path = tmp_path / "linear.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = INPUTS["linear_list"]()
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


@pytest.mark.parametrize("units", [0, -1, 1.5, True])
def test_bad_units_fail_early(units):
    with pytest.raises(ValueError, match="units"):
        keras.experimental.LinearModel(units=units)
