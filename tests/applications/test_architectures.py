"""Every application builds exactly Keras's model: parameters, layer names and order, weight
shapes, output shape and constructor signature.

The oracle is real Keras 3: `tests/data/applications/keras_structures.json` is written by
`tools/gen_applications_reference.py` from Keras builds of the same cases; the slow tests also
build every constructor at full size in real Keras, side by side.
"""

import importlib.util
import inspect
import json
import pathlib

import pytest

import neokeras
from neokeras import applications

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "tests/data/applications/keras_structures.json").read_text())

_spec = importlib.util.spec_from_file_location(
    "gen_applications_reference", ROOT / "tools/gen_applications_reference.py")
_gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gen)
structure = _gen.structure

# RegNet and ResNet-RS are tf-keras 2's (Keras 3 dropped them): test_regnet.py, test_resnet_rs.py.
TF_KERAS_ONLY = ("neokeras.applications.regnet", "neokeras.applications.resnet_rs")
CONSTRUCTORS = sorted(name for name in dir(applications) if name[0].isupper()
                      and getattr(applications, name).__module__ not in TF_KERAS_ONLY)
MODULES = ["convnext", "densenet", "efficientnet", "efficientnet_v2", "imagenet_utils",
           "inception_resnet_v2", "inception_v3", "mobilenet", "mobilenet_v2", "mobilenet_v3",
           "nasnet", "resnet", "resnet50", "resnet_v2", "vgg16", "vgg19", "xception"]


def _case_id(case):
    args = ",".join(f"{k}={v}" for k, v in case["kwargs"].items() if k != "input_shape")
    return f"{case['constructor']}[{args}]"


def _build(constructor, kwargs):
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    neokeras.backend.clear_session()
    return getattr(applications, constructor)(weights=None, **kwargs)


@pytest.mark.parametrize("case", [
    pytest.param(case, id=_case_id(case), marks=() if case["default"] else pytest.mark.slow)
    for case in REFERENCE["cases"]])
def test_small_build_matches_keras(case):
    assert structure(_build(case["constructor"], case["kwargs"])) == case["keras"]


def test_every_constructor_has_a_reference_case():
    assert {case["constructor"] for case in REFERENCE["cases"]} == set(CONSTRUCTORS)
    assert len(CONSTRUCTORS) == 40


@pytest.mark.slow
@pytest.mark.usefixtures("keras_initial_weights_not_drawn")
@pytest.mark.parametrize("constructor", CONSTRUCTORS)
def test_full_size_build_matches_live_keras(constructor):
    keras = pytest.importorskip("keras")
    keras.backend.clear_session()
    expected = structure(getattr(keras.applications, constructor)(weights=None))
    assert structure(_build(constructor, {})) == expected


def _public_functions(module):
    return {name: getattr(module, name) for name in dir(module)
            if not name.startswith("_") and inspect.isfunction(getattr(module, name))
            and (name[0].isupper() or name in ("preprocess_input", "decode_predictions"))}


@pytest.mark.parametrize("module_name", MODULES)
def test_module_functions_and_signatures_match_keras(module_name):
    pytest.importorskip("keras")
    ours = importlib.import_module(f"neokeras.applications.{module_name}")
    theirs = importlib.import_module(f"keras.applications.{module_name}")
    theirs_public = _public_functions(theirs)
    assert set(theirs_public) <= set(_public_functions(ours))
    for name, fn in theirs_public.items():
        assert inspect.signature(getattr(ours, name)) == inspect.signature(fn), name


@pytest.mark.parametrize("constructor", CONSTRUCTORS)
def test_top_level_signature_matches_keras(constructor):
    keras = pytest.importorskip("keras")
    assert inspect.signature(getattr(applications, constructor)) == \
        inspect.signature(getattr(keras.applications, constructor))


def test_input_tensor_becomes_the_model_input():
    inputs = neokeras.Input((32, 32, 3), name="img")
    scaled = neokeras.layers.Rescaling(0.5)(inputs)
    model = applications.MobileNetV3Small(input_tensor=scaled, weights=None, include_top=False,
                                          minimalistic=True)
    assert model.inputs[0] is inputs
    assert model.layers[1].name == "rescaling"


@pytest.mark.parametrize("kwargs, message", [
    ({"weights": "no/such/file.h5"}, "weights"),
    ({"weights": "imagenet", "classes": 10}, "classes"),
    ({"weights": None, "input_shape": (16, 16, 3), "include_top": False}, "at least 32x32"),
    ({"weights": None, "input_shape": (None, None, 3)}, "fully known"),
])
def test_bad_arguments_fail_early_like_keras(kwargs, message):
    with pytest.raises(ValueError, match=message):
        applications.VGG16(**kwargs)


def test_pretrained_classifier_only_takes_softmax_or_none():
    with pytest.raises(ValueError, match="classifier_activation"):
        applications.MobileNetV3Small(weights="imagenet", minimalistic=True,
                                      input_shape=(224, 224, 3), classifier_activation="relu")
