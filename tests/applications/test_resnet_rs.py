"""ResNet-RS builds exactly tf-keras 2.21's models (oracle: see `tf_keras_reference.py`).

The small ResNetRS50 cases run by default; other depths and full-size builds are slow.
"""

import urllib.error

import numpy as np
import pytest

import neokeras
from neokeras import applications

import tf_keras_reference as ref


@pytest.mark.parametrize("case", ref.cases("resnet_rs"))
def test_build_matches_tf_keras(case):
    ref.check_structure(case)


@pytest.mark.slow  # ResNetRS50 has 34M parameters to set: about 15 s
@pytest.mark.parametrize("case", ref.cases("resnet_rs", predictions=True))
def test_golden_weights_give_tf_keras_predictions(case):
    ref.check_predictions(case)


def test_every_depth_has_a_full_size_case_and_tf_keras_signature():
    full = {c["constructor"] for c in ref.REFERENCE["cases"] if not c["kwargs"]}
    assert set(ref.gen.RESNET_RS) <= full and len(ref.gen.RESNET_RS) == 7
    ref.check_signatures("resnet_rs")


def test_preprocess_input_is_the_identity():
    x = np.arange(12.0).reshape(1, 2, 2, 3)
    assert applications.resnet_rs.preprocess_input(x) is x


@pytest.mark.parametrize("kwargs, message", [
    ({"weights": "no/such/file.h5"}, "imagenet-i160"),
    ({"weights": "imagenet-i224"}, "imagenet-i160"),
    ({"weights": "imagenet", "classes": 10}, "classes"),
    ({"weights": None, "input_shape": (16, 16, 3), "include_top": False}, "at least 32x32"),
])
def test_bad_arguments_fail_early(kwargs, message):
    with pytest.raises(ValueError, match=message):
        applications.ResNetRS50(**kwargs)


@pytest.mark.parametrize("weights, fname", [
    ("imagenet", "resnet-rs-101-i192_notop.h5"),
    pytest.param("imagenet-i160", "resnet-rs-101-i160_notop.h5", marks=pytest.mark.slow),
])
def test_imagenet_weights_by_training_size_name_the_tf_keras_file(weights, fname, tmp_path,
                                                                  monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr("urllib.request.urlopen", offline)
    # ResNetRS101's block structure is built before the download is tried; the smallest
    # one with two weight variants.
    with pytest.raises(ConnectionError) as info:
        applications.ResNetRS101(weights=weights, include_top=False, input_shape=(32, 32, 3))
    url = f"https://storage.googleapis.com/tensorflow/keras-applications/resnet_rs/{fname}"
    assert url in str(info.value)


@pytest.mark.slow
def test_the_stem_is_named_by_a_session_counter_as_in_tf_keras():
    neokeras.backend.clear_session()
    names = []
    for _ in range(2):
        model = applications.ResNetRS50(weights=None, include_top=False,
                                        input_shape=(32, 32, 3))
        names.append(next(layer.name for layer in model.layers if "stem_conv_1" in layer.name))
    assert names == ["stem_1_stem_conv_1", "stem_2_stem_conv_1"]
