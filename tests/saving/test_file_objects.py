"""`save_model`/`load_model` (public and the `keras.src.saving.saving_lib` mirror) take open
binary file objects, as scikeras uses them."""

import io

import numpy as np
import pytest

import neokeras
from neokeras.src.saving import saving_lib as saving_lib_mirror

X = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)


def _fitted():
    model = neokeras.Sequential([neokeras.Input((3,)), neokeras.layers.Dense(2)])
    model.compile("adam", "mse")
    model.fit(X, X[:, :2], verbose=0)
    return model


@pytest.mark.parametrize("save, load", [
    (neokeras.saving.save_model, neokeras.saving.load_model),
    (saving_lib_mirror.save_model, saving_lib_mirror.load_model),
    (lambda m, f: m.save(f), neokeras.models.load_model),
], ids=["public", "saving_lib", "model.save"])
def test_round_trip_through_bytesio(save, load):
    model = _fitted()
    buffer = io.BytesIO()
    save(model, buffer)
    assert buffer.getvalue()[:2] == b"PK"
    buffer.seek(0)
    loaded = load(buffer)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    assert int(loaded.optimizer.iterations.numpy()) == 1


def test_loads_keras_archive_from_bytesio():
    keras = pytest.importorskip("keras")
    from keras.src.saving import saving_lib

    theirs = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    buffer = io.BytesIO()
    saving_lib.save_model(theirs, buffer)
    buffer.seek(0)
    ours = saving_lib_mirror.load_model(buffer)
    np.testing.assert_allclose(ours.predict(X, verbose=0), np.asarray(theirs.predict(X, verbose=0)),
                               rtol=1e-6)


def test_bytesio_that_is_not_an_archive_is_a_clear_error():
    with pytest.raises(ValueError, match="not a valid .keras archive"):
        neokeras.saving.load_model(io.BytesIO(b"not a zip"))
