"""MelSpectrogram, STFTSpectrogram (and the STFT initializer) and Pipeline against real
Keras 3.15.1 on JAX."""

import json
import os
import warnings

import numpy as np
import pytest

import neokeras as nk

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
SIGNAL = RNG.normal(size=(2, 3000)).astype("float32")
FRAMES = RNG.normal(size=(2, 400, 2)).astype("float32")


def _plain(config):
    return json.loads(json.dumps(config))


@pytest.mark.parametrize("kwargs", [
    dict(fft_length=256, sequence_stride=64, num_mel_bins=32),
    dict(fft_length=512, sequence_length=400, sequence_stride=160, window="hamming",
         power_to_db=False, mag_exp=1.0, num_mel_bins=40, sampling_rate=8000),
    dict(fft_length=128, sequence_stride=32, window=None, num_mel_bins=16, top_db=40.0,
         ref_power=2.0),
])
def test_mel_spectrogram_equals_keras(kwargs):
    ours, theirs = nk.layers.MelSpectrogram(**kwargs), keras.layers.MelSpectrogram(**kwargs)
    expected = np.asarray(theirs(SIGNAL))
    np.testing.assert_allclose(np.asarray(ours(SIGNAL)), expected, rtol=1e-4,
                               atol=1e-5 * np.abs(expected).max())
    np.testing.assert_allclose(np.asarray(ours(SIGNAL[0])), np.asarray(theirs(SIGNAL[0])),
                               rtol=1e-4, atol=1e-5 * np.abs(expected).max())
    assert tuple(ours.compute_output_shape((None, 3000))) == \
        tuple(theirs.compute_output_shape((None, 3000)))
    config = ours.get_config()
    assert _plain(config) == _plain({**theirs.get_config(), "name": config["name"]})


@pytest.mark.parametrize("kwargs", [
    dict(frame_length=64),
    dict(mode="magnitude", frame_length=50, frame_step=10, fft_length=64, padding="same"),
    dict(mode="psd", frame_length=32, window="hamming", periodic=True, scaling="spectrum"),
    dict(mode="stft", frame_length=32, expand_dims=True),
    dict(mode="angle", frame_length=32),
    dict(mode="real", frame_length=32, data_format="channels_first"),
    dict(mode="imag", frame_length=32, expand_dims=True, data_format="channels_first"),
])
def test_stft_spectrogram_equals_keras(kwargs, tmp_path):
    x = FRAMES if kwargs.get("data_format") != "channels_first" else \
        np.ascontiguousarray(np.moveaxis(FRAMES, 1, 2))
    ours, theirs = nk.layers.STFTSpectrogram(**kwargs), keras.layers.STFTSpectrogram(**kwargs)
    expected = np.asarray(theirs(x))
    np.testing.assert_allclose(np.asarray(ours(x)), expected, rtol=1e-4, atol=1e-5)
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    config = ours.get_config()
    assert _plain(config) == _plain({**theirs.get_config(), "name": config["name"]})
    # .keras files both ways: the (trainable) kernels travel in the weights file.
    inp = nk.Input(x.shape[1:])
    model = nk.Model(inp, ours(inp))
    model.save(tmp_path / "ours.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = keras.saving.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-4,
                               atol=1e-5)


@pytest.mark.parametrize("kwargs", [dict(), dict(side="imag", window="hamming",
                                                 scaling="spectrum", periodic=True),
                                    dict(window=None, scaling=None)])
def test_stft_initializer_equals_keras(kwargs):
    ours = nk.initializers.STFT(**kwargs)
    theirs = keras.initializers.STFT(**kwargs)
    np.testing.assert_allclose(ours((16, 1, 9)), np.asarray(theirs((16, 1, 9))), atol=1e-6)
    assert ours.get_config() == theirs.get_config()
    assert nk.initializers.get(nk.initializers.serialize(ours)).get_config() == ours.get_config()


def test_pipeline_matches_keras_and_its_files():
    images = (RNG.random((2, 10, 12, 3)) * 255).astype("float32")
    make = lambda L: L.Pipeline([L.Resizing(8, 8), L.CenterCrop(6, 6),  # noqa: E731
                                 L.Rescaling(1 / 255.0), L.RandomFlip(seed=1)])
    ours, theirs = make(nk.layers), make(keras.layers)
    np.testing.assert_allclose(np.asarray(ours(images, training=False)),
                               np.asarray(theirs(images, training=False)), rtol=1e-5, atol=1e-6)
    assert np.asarray(ours(images)).shape == (2, 6, 6, 3)  # training by default, as Keras
    config = ours.get_config()
    assert config["layers"][0]["class_name"] == "Resizing"
    clone = nk.layers.Pipeline.from_config(config)
    assert [type(layer).__name__ for layer in clone.layers] == \
        ["Resizing", "CenterCrop", "Rescaling", "RandomFlip"]
    # A model saved by real Keras with a Pipeline inside loads with the same weight paths.
    path = os.path.join(os.path.dirname(__file__), "..", "data", "preprocessing",
                        "keras_pipeline.keras")
    model = nk.saving.load_model(path)
    from neokeras.saving.saving_lib import saveables

    assert "layers/pipeline/layers/random_flip" in [p for p, _ in saveables(model)]
    x = images[:, :8, :8]
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
