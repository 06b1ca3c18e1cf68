"""ModelCheckpoint with Keras 2 file names: the suffix picks the format, as tf-keras did."""

import os

import h5py
import numpy as np
import pytest

import neokeras as keras
from neokeras import callbacks, layers


def _data(n=32):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x @ rng.normal(size=(4, 1))).astype("float32")


def _model():
    model = keras.Sequential([layers.Dense(3, input_dim=4, name="hidden"), layers.Dense(1, name="out")])
    model.compile("sgd", "mse")
    return model


def _h5_kind(path):
    with h5py.File(path, "r") as f:
        if "model_config" in f.attrs:
            return "legacy model"
        if "layer_names" in f.attrs:
            return "legacy weights"
        return "keras3 weights" if "layers" in f else "?"


@pytest.mark.parametrize("filepath, weights_only, kind", [
    ("weights.best.hdf5", True, "legacy weights"),
    ("weights.best.h5", True, "legacy weights"),
    ("best.weights.h5", True, "keras3 weights"),
    ("best.h5", False, "legacy model"),
    ("best.hdf5", False, "legacy model"),
])
def test_suffix_picks_the_format_and_the_file_loads(tmp_path, filepath, weights_only, kind):
    x, y = _data()
    model = _model()
    path = str(tmp_path / filepath)
    model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0, callbacks=[
        callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True,
                                  save_weights_only=weights_only)])
    assert _h5_kind(path) == kind
    if weights_only:
        restored = _model()
        restored.load_weights(path)
    else:
        restored = keras.models.load_model(path)
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keras2_epoch_and_metric_pattern(tmp_path):
    x, y = _data()
    model = _model()
    history = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.25, verbose=0,
                        callbacks=[callbacks.ModelCheckpoint(
                            str(tmp_path / "{epoch:02d}-{val_loss:.2f}.h5"))])
    expected = sorted(f"{e + 1:02d}-{v:.2f}.h5" for e, v in enumerate(history.history["val_loss"]))
    assert sorted(os.listdir(tmp_path)) == expected
    last = keras.models.load_model(tmp_path / expected[-1])
    np.testing.assert_allclose(last.predict(x, verbose=0), model.predict(x, verbose=0))


def test_save_freq_counts_batches_across_epochs(tmp_path):
    x, y = _data(32)  # 4 batches of 8 per epoch
    model = _model()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[callbacks.ModelCheckpoint(
        str(tmp_path / "w-{epoch}-{batch}.hdf5"), save_weights_only=True, save_freq=3)])
    # batches seen 3 and 6: epoch 1 batch 3, epoch 2 batch 2
    assert sorted(os.listdir(tmp_path)) == ["w-1-3.hdf5", "w-2-2.hdf5"]
    assert _h5_kind(tmp_path / "w-2-2.hdf5") == "legacy weights"


def test_keras2_period_saves_every_n_epochs(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[callbacks.ModelCheckpoint(
        str(tmp_path / "w-{epoch}.h5"), monitor="loss", save_weights_only=True, period=2)])
    assert sorted(os.listdir(tmp_path)) == ["w-2.h5", "w-4.h5"]


@pytest.mark.parametrize("kwargs, error, match", [
    ({"filepath": "w.ckpt", "save_weights_only": True}, ValueError, "TensorFlow checkpoints"),
    ({"filepath": "w.h5", "period": 0}, ValueError, "period must be a positive int"),
    ({"filepath": "w.h5", "bogus": 1}, TypeError, "bogus"),
    ({"filepath": "w.h5", "save_freq": "batch"}, ValueError, "save_freq"),
])
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        callbacks.ModelCheckpoint(**kwargs)
