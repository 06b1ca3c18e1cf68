"""`preprocess_input` of every family equals Keras's; `decode_predictions` reads the class index."""

import importlib
import urllib.error

import numpy as np
import pytest

from neokeras import ops
from neokeras.applications import imagenet_utils

FAMILY_MODULES = ["convnext", "densenet", "efficientnet", "efficientnet_v2",
                  "inception_resnet_v2", "inception_v3", "mobilenet", "mobilenet_v2",
                  "mobilenet_v3", "nasnet", "resnet", "resnet50", "resnet_v2", "vgg16", "vgg19",
                  "xception"]
IMAGES = {
    "4d_last": np.random.default_rng(0).uniform(0, 255, (2, 5, 4, 3)),
    "3d_last": np.random.default_rng(1).uniform(0, 255, (5, 4, 3)),
    "4d_first": np.random.default_rng(2).uniform(0, 255, (2, 3, 5, 4)),
    "3d_first": np.random.default_rng(3).uniform(0, 255, (3, 5, 4)),
}


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("image", sorted(IMAGES))
@pytest.mark.parametrize("as_tensor", [False, True])
def test_preprocess_input_matches_keras(mode, image, as_tensor):
    keras = pytest.importorskip("keras")
    data_format = "channels_first" if image.endswith("first") else "channels_last"
    x = IMAGES[image].astype("float32")
    expected = keras.applications.imagenet_utils.preprocess_input(
        x.copy(), data_format=data_format, mode=mode)
    given = ops.convert_to_tensor(x) if as_tensor else x.copy()
    result = imagenet_utils.preprocess_input(given, data_format=data_format, mode=mode)
    np.testing.assert_allclose(np.asarray(result), np.asarray(expected), rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("module", FAMILY_MODULES)
def test_family_preprocess_input_matches_keras(module):
    pytest.importorskip("keras")
    theirs = importlib.import_module(f"keras.applications.{module}")
    ours = importlib.import_module(f"neokeras.applications.{module}")
    x = IMAGES["4d_last"].astype("float32")
    np.testing.assert_allclose(np.asarray(ours.preprocess_input(x.copy())),
                               np.asarray(theirs.preprocess_input(x.copy())), rtol=1e-6,
                               atol=1e-4)


def test_preprocess_input_numpy_ints_become_floatx_and_bad_arguments_are_named():
    out = imagenet_utils.preprocess_input(np.full((1, 2, 2, 3), 255, "uint8"), mode="tf")
    assert out.dtype == np.float32 and np.allclose(out, 1.0)
    with pytest.raises(ValueError, match="mode"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode="pytorch")
    with pytest.raises(ValueError, match="data_format"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), data_format="nhwc")


def test_decode_predictions_ranks_classes(monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    monkeypatch.setattr(imagenet_utils, "_class_index", index)
    preds = np.zeros((2, 1000), "float32")
    preds[0, [3, 7, 9]] = [0.2, 0.5, 0.3]
    preds[1, 999] = 1.0
    decoded = imagenet_utils.decode_predictions(preds, top=3)
    assert [name for name, _, _ in decoded[0]] == ["n00000007", "n00000009", "n00000003"]
    assert decoded[0][0][1] == "class_7" and decoded[0][0][2] == pytest.approx(0.5)
    assert decoded[1][0][:2] == ("n00000999", "class_999")


def test_decode_predictions_checks_shape_and_fails_fast_offline(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match=r"\(samples, 1000\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(imagenet_utils, "_class_index", None)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr("urllib.request.urlopen", offline)
    with pytest.raises(ConnectionError) as info:
        imagenet_utils.decode_predictions(np.zeros((1, 1000)))
    assert imagenet_utils.CLASS_INDEX_URL in str(info.value)
    assert str(tmp_path / "models" / "imagenet_class_index.json") in str(info.value)
