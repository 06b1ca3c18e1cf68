"""The tf-keras 2.21 oracle of the RegNet and ResNet-RS tests (Keras 3 has neither model).

`tests/data/applications/tf_keras_structures.json` is written by
`tools/gen_tf_keras_applications_reference.py` with tf-keras and TensorFlow, which the tests do
not need: per case the fingerprint of the tf-keras model (parameters; layer names, classes,
output shapes and weight shapes in model order), the constructor signatures, and for the small
cases the predictions on a deterministic input after deterministic weights.
"""

import importlib.util
import inspect
import json
import pathlib

import numpy as np
import pytest

import neokeras
from neokeras import applications

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests/data/applications"
REFERENCE = json.loads((DATA / "tf_keras_structures.json").read_text())

_spec = importlib.util.spec_from_file_location(
    "gen_tf_keras_applications_reference", ROOT / "tools/gen_tf_keras_applications_reference.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)


def build(constructor, kwargs, **extra):
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    neokeras.backend.clear_session()
    return getattr(applications, constructor)(**{"weights": None, **kwargs, **extra})


def fingerprint(model, full):
    rows = [[layer.name, type(layer).__name__, list(layer.output.shape),
             [list(w.shape) for w in layer.weights]]
            for layer in model.layers if type(layer).__name__ != "InputLayer"]
    return gen.fingerprint(rows, model.count_params(), model.output_shape, full=full)


def _case_id(case):
    args = ",".join(f"{k}={v}" for k, v in case["kwargs"].items())
    return f"{case['constructor']}[{args or 'full size'}]"


def cases(module, predictions=False):
    """The reference cases of `module` ("regnet" or "resnet_rs"); non-default ones are slow."""
    return [pytest.param(case, id=_case_id(case),
                         marks=() if case["default"] else pytest.mark.slow)
            for case in REFERENCE["cases"] if gen.MODULE_OF[case["constructor"]] == module
            and (not predictions or "predictions" in case)]


def check_structure(case):
    model = build(case["constructor"], case["kwargs"])
    assert fingerprint(model, full=case["default"]) == case["tf_keras"]


def check_predictions(case, model=None):
    if model is None:
        model = build(case["constructor"], case["kwargs"])
        gen.set_golden_weights(model)
    x = gen.golden_input(tuple(case["kwargs"]["input_shape"]))
    expected = np.asarray(case["predictions"], dtype="float32")
    scale = float(np.abs(expected).max())
    np.testing.assert_allclose(np.asarray(model.predict(x, verbose=0)), expected,
                               rtol=1e-4, atol=1e-4 * scale)


def check_signatures(module):
    mod = getattr(applications, module)
    for name, signature in REFERENCE["signatures"].items():
        if name.startswith(f"{module}."):
            assert str(inspect.signature(getattr(mod, name.split(".")[1]))) == signature, name
        elif gen.MODULE_OF.get(name) == module:
            assert str(inspect.signature(getattr(applications, name))) == signature, name
            assert getattr(mod, name) is getattr(applications, name)
