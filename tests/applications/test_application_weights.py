"""Weights made by real Keras load into the neokeras models and give the same predictions.

For one model of each family, real Keras 3 builds the model (random weights, with the batch
norm statistics scrambled so they matter), saves them and predicts; the neokeras model is built
with `weights=<that file>` and must predict the same within 1e-4. Keras's published ImageNet
files are legacy weights-only `.h5` files; `legacy_h5=True` writes that format.
"""

import time
import urllib.error

import numpy as np
import pytest

from neokeras import applications

S32 = {"input_shape": (32, 32, 3)}
# (constructor, arguments, legacy .h5 file, in the default run)
FAMILIES = [
    ("MobileNetV3Small", {**S32, "classes": 5}, True, True),
    ("ConvNeXtTiny", {**S32, "include_top": False, "pooling": "avg"}, True, True),
    ("VGG16", {**S32, "include_top": False, "pooling": "avg"}, False, False),
    ("ResNet50", {**S32, "classes": 5}, True, False),
    ("ResNet50V2", {**S32, "include_top": False, "pooling": "max"}, False, False),
    ("DenseNet121", {**S32, "classes": 5}, False, False),
    ("Xception", {"input_shape": (71, 71, 3), "classes": 5}, False, False),
    ("InceptionV3", {"input_shape": (75, 75, 3), "classes": 5}, True, False),
    ("InceptionResNetV2", {"input_shape": (75, 75, 3), "classes": 5}, False, False),
    ("MobileNet", {**S32, "classes": 5, "alpha": 0.5}, True, False),
    ("MobileNetV2", {**S32, "classes": 5}, False, False),
    ("NASNetMobile", {**S32, "classes": 5}, False, False),
    ("EfficientNetB0", {**S32, "classes": 5}, True, False),
    ("EfficientNetV2B0", {**S32, "classes": 5}, False, False),
]


def _keras_model_and_file(keras, constructor, kwargs, path, legacy_h5):
    keras.backend.clear_session()
    model = getattr(keras.applications, constructor)(weights=None, **kwargs)
    rng = np.random.default_rng(0)
    for w in model.weights:
        if w.path.endswith("moving_variance") or w.path.endswith("/variance"):
            w.assign(rng.uniform(0.5, 1.5, w.shape).astype(w.dtype))
        elif w.path.endswith("moving_mean") or w.path.endswith("/mean"):
            w.assign(rng.normal(0.0, 0.1, w.shape).astype(w.dtype))
    if legacy_h5:
        import h5py
        from keras.src.legacy.saving import legacy_h5_format

        with h5py.File(path, "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
    else:
        model.save_weights(path)
    return model


@pytest.mark.parametrize("constructor, kwargs, legacy_h5", [
    pytest.param(c, k, h, id=c, marks=() if default else pytest.mark.slow)
    for c, k, h, default in FAMILIES])
def test_keras_weights_give_keras_predictions(constructor, kwargs, legacy_h5, tmp_path):
    keras = pytest.importorskip("keras")
    path = tmp_path / ("weights.h5" if legacy_h5 else "model.weights.h5")
    reference = _keras_model_and_file(keras, constructor, kwargs, str(path), legacy_h5)
    x = np.random.default_rng(1).uniform(0, 255, (2,) + kwargs["input_shape"]).astype("float32")
    expected = np.asarray(reference.predict(x, verbose=0))
    model = getattr(applications, constructor)(weights=str(path), **kwargs)
    np.testing.assert_allclose(np.asarray(model.predict(x, verbose=0)), expected,
                               rtol=1e-4, atol=1e-4)


def test_offline_imagenet_weights_fail_fast_naming_url_and_cache(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr("urllib.request.urlopen", offline)
    start = time.perf_counter()
    with pytest.raises(ConnectionError) as info:
        applications.MobileNetV3Small(weights="imagenet", include_top=False, minimalistic=True,
                                      input_shape=(224, 224, 3))
    assert time.perf_counter() - start < 60
    message = str(info.value)
    url = ("https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
           "weights_mobilenet_v3_small_minimalistic_224_1.0_float_no_top_v2.h5")
    assert url in message
    assert str(tmp_path / "models" / url.rsplit("/", 1)[1]) in message


def test_imagenet_weights_come_from_the_keras_cache(tmp_path, monkeypatch):
    # A file Keras already downloaded (here: written by Keras in its published legacy format,
    # under the published name) is used without any network access.
    keras = pytest.importorskip("keras")

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr("urllib.request.urlopen", offline)
    (tmp_path / "models").mkdir()
    kwargs = {"input_shape": (128, 128, 3), "alpha": 0.25, "include_top": False}
    reference = _keras_model_and_file(
        keras, "MobileNet", kwargs, str(tmp_path / "models" / "mobilenet_2_5_128_tf_no_top.h5"),
        legacy_h5=True)
    x = np.random.default_rng(2).uniform(0, 255, (1, 128, 128, 3)).astype("float32")
    model = applications.MobileNet(weights="imagenet", **kwargs)
    np.testing.assert_allclose(np.asarray(model.predict(x, verbose=0)),
                               np.asarray(reference.predict(x, verbose=0)), rtol=1e-4, atol=1e-4)
