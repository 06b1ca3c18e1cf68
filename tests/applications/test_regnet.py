"""RegNetX/RegNetY build exactly tf-keras 2.21's models and load its weight files.

The oracle is tf-keras (see `tf_keras_reference.py`): the small cases run by default, the
full-size build of every variant is marked slow.
"""

import lzma
import urllib.error

import numpy as np
import pytest

import neokeras
from neokeras import applications

import tf_keras_reference as ref


@pytest.mark.parametrize("case", ref.cases("regnet"))
def test_build_matches_tf_keras(case):
    ref.check_structure(case)


@pytest.mark.parametrize("case", ref.cases("regnet", predictions=True))
def test_golden_weights_give_tf_keras_predictions(case):
    ref.check_predictions(case)


def test_weights_file_saved_by_tf_keras_loads_by_topology(tmp_path):
    # The legacy `save_weights` file of tf-keras's RegNetX002 (its `x + skip` TFOpLambda layers
    # are listed in the file without weights).
    path = tmp_path / "regnetx002.h5"
    path.write_bytes(lzma.decompress((ref.DATA / "regnetx002_tf_keras.weights.h5.xz")
                                     .read_bytes()))
    case = next(c for c in ref.REFERENCE["cases"] if c["constructor"] == "RegNetX002")
    model = ref.build("RegNetX002", case["kwargs"], weights=str(path))
    ref.check_predictions(case, model)


def test_every_variant_has_a_full_size_case_and_tf_keras_signature():
    full = {c["constructor"] for c in ref.REFERENCE["cases"] if not c["kwargs"]}
    assert {n for n in ref.gen.REGNETS} <= full and len(ref.gen.REGNETS) == 24
    ref.check_signatures("regnet")


def test_classifier_activation_is_checked_but_the_head_returns_logits():
    neokeras.backend.clear_session()
    model = applications.RegNetX002(weights=None, input_shape=(32, 32, 3), classes=4)
    assert [layer.name for layer in model.layers[-2:]] == ["1_head_gap", "1head_dense"]
    assert model.layers[-1].activation is neokeras.activations.linear
    with pytest.raises(ValueError, match="classifier_activation"):
        applications.RegNetY002(weights="imagenet", classifier_activation="relu")


def test_input_tensor_builds_on_its_source_input_as_tf_keras_does():
    inputs = neokeras.Input((32, 32, 3))
    scaled = neokeras.layers.Rescaling(0.5)(inputs)
    model = applications.RegNetX002(weights=None, include_top=False, input_tensor=scaled)
    assert model.inputs[0] is inputs
    assert "rescaling" not in [layer.name for layer in model.layers]


def test_preprocess_input_is_the_identity():
    x = np.arange(12.0).reshape(1, 2, 2, 3)
    assert applications.regnet.preprocess_input(x) is x


@pytest.mark.parametrize("kwargs, message", [
    ({"weights": "no/such/file.h5"}, "weights"),
    ({"weights": "imagenet", "classes": 10}, "classes"),
    ({"weights": None, "input_shape": (16, 16, 3), "include_top": False}, "at least 32x32"),
    ({"weights": "imagenet", "model_name": "mine", "include_top": False,
      "input_shape": (32, 32, 3)}, "model_name"),
])
def test_bad_arguments_fail_early(kwargs, message):
    with pytest.raises(ValueError, match=message):
        applications.RegNetX002(**kwargs)


def test_offline_imagenet_weights_fail_naming_the_tf_keras_url(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr("urllib.request.urlopen", offline)
    with pytest.raises(ConnectionError) as info:
        applications.RegNetY002(include_top=False, input_shape=(32, 32, 3))
    url = "https://storage.googleapis.com/tensorflow/keras-applications/regnet/regnety002_notop.h5"
    assert url in str(info.value)
    assert str(tmp_path / "models" / "regnety002_notop.h5") in str(info.value)
