"""Files made by real Keras 2 (tf-keras 2.21) and Keras 3.15.1: load and reproduce predictions."""

import numpy as np
import pytest

import neokeras as nk

MODELS = ["mlp", "functional", "cnn", "lstm"]
_NEEDS = {"cnn": ("Conv2D", "MaxPooling2D", "Flatten"), "lstm": ("Embedding", "LSTM"),
          "functional": ("Concatenate",), "mlp": ("Dropout",)}


def _inputs_outputs(folder):
    data = np.load(folder / "io.npz")
    xs = [data[k] for k in sorted(data.files) if k.startswith("x")]
    ys = [data[k] for k in sorted(data.files) if k.startswith("y")]
    return (xs[0] if len(xs) == 1 else xs), ys


def _require_layers(model_name):
    missing = [n for n in _NEEDS[model_name] if not hasattr(nk.layers, n)]
    if missing:
        pytest.skip(f"layers {missing} are not implemented in neokeras yet")


def _load(path, **kwargs):
    return nk.models.load_model(path, **kwargs)


def _check(model, x, ys):
    predictions = model.predict(x, verbose=0)
    predictions = predictions if isinstance(predictions, (list, tuple)) else [predictions]
    assert len(predictions) == len(ys)
    for p, y in zip(predictions, ys):
        np.testing.assert_allclose(p, y, atol=2e-5)


@pytest.mark.filterwarnings("ignore:Skipping the optimizer state")
@pytest.mark.parametrize("generation", ["keras3", "keras2"])
@pytest.mark.parametrize("file", ["model.keras", "model.h5"])
@pytest.mark.parametrize("name", MODELS)
def test_golden_model_file(golden, generation, file, name):
    _require_layers(name)
    folder = golden / generation / name
    x, ys = _inputs_outputs(folder)
    model = _load(folder / file)
    _check(model, x, ys)
    assert model.compiled
    iterations = int(model.optimizer.iterations.numpy())
    assert iterations > 0  # trained for two epochs: the optimizer state came across


@pytest.mark.parametrize("generation,file", [("keras3", "model.weights.h5"), ("keras2", "weights.h5")])
@pytest.mark.parametrize("name", MODELS)
def test_golden_weights_file(golden, generation, file, name):
    _require_layers(name)
    folder = golden / generation / name
    x, ys = _inputs_outputs(folder)
    model = _load(folder / "model.keras", compile=False)
    for weight in model.weights:
        weight.assign(np.zeros(weight.shape, weight.dtype))
    model.load_weights(folder / file)
    _check(model, x, ys)


def test_golden_keras2_h5_restores_training_config(golden):
    model = nk.models.load_model(golden / "keras2" / "functional" / "model.h5")
    config = model.get_compile_config()
    assert config["loss"] == ["mse", "categorical_crossentropy"]
    assert config["loss_weights"] == [1.0, 0.5]
    assert isinstance(model.optimizer, nk.optimizers.Adam)
    np.testing.assert_allclose(model.optimizer.learning_rate, 1e-3, rtol=1e-6)
    mlp = nk.models.load_model(golden / "keras2" / "mlp" / "model.h5")
    assert mlp.get_compile_config()["metrics"] == ["accuracy"]
