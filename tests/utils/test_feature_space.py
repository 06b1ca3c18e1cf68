"""FeatureSpace against Keras 3 (TensorFlow backend) outputs in data/feature_space.json."""

import json
import pathlib

import numpy as np
import pytest

from neokeras import layers, models, utils
from neokeras.utils import FeatureSpace

FIXTURES = json.loads((pathlib.Path(__file__).parent / "data" / "feature_space.json").read_text())
DATA = FIXTURES["data"]


def _data(spec, rows=slice(None)):
    return {k: np.array(v)[rows] for k, v in DATA.items() if k in spec["features"]}


def _spec(spec):
    spec = dict(spec)
    if "crosses" in spec:
        spec["crosses"] = [tuple(c) for c in spec["crosses"]]
    return spec


@pytest.mark.parametrize("case", FIXTURES["cases"], ids=lambda c: c["spec"]["output_mode"])
def test_matches_keras(case):
    fs = FeatureSpace(**_spec(case["spec"]))
    fs.adapt(_data(case["spec"]))
    encoded = fs(_data(case["spec"]))
    single = fs({k: v[2] for k, v in _data(case["spec"]).items()})
    if isinstance(case["encoded"], dict):
        assert sorted(encoded) == sorted(case["encoded"])
        for key, expected in case["encoded"].items():
            np.testing.assert_allclose(np.asarray(encoded[key]), expected, atol=1e-5)
            np.testing.assert_allclose(np.asarray(single[key]), case["single"][key], atol=1e-5)
    else:
        np.testing.assert_allclose(np.asarray(encoded), case["encoded"], atol=1e-5)
        np.testing.assert_allclose(np.asarray(single), case["single"], atol=1e-5)


def test_adapt_on_batches_and_train_a_model():
    spec = FIXTURES["cases"][0]["spec"]
    fs = FeatureSpace(**_spec(spec))
    data = _data(spec)
    batches = [{k: v[i:i + 3] for k, v in data.items()} for i in range(0, 8, 3)]
    fs.adapt(batches)
    reference = FeatureSpace(**_spec(spec))
    reference.adapt(data)
    np.testing.assert_allclose(np.asarray(fs(data)), np.asarray(reference(data)), atol=1e-6)
    encoded = fs.get_encoded_features()
    assert tuple(encoded.shape) == (None, len(FIXTURES["cases"][0]["encoded"][0]))
    assert sorted(fs.get_inputs()) == sorted(spec["features"])
    x = np.asarray(fs(data))
    model = models.Sequential([layers.Input(x.shape[1:]), layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, np.ones(8), epochs=1, verbose=0)


def test_config_round_trip():
    spec = _spec(FIXTURES["cases"][1]["spec"])
    fs = FeatureSpace(**spec)
    again = FeatureSpace.from_config(fs.get_config())
    again.adapt(_data(spec))
    fs.adapt(_data(spec))
    for key, value in fs(_data(spec)).items():
        np.testing.assert_array_equal(np.asarray(value), np.asarray(again(_data(spec))[key]))


@pytest.mark.parametrize("kwargs, match", [
    ({"features": {}}, "empty"),
    ({"features": {"a": "float"}, "output_mode": "list"}, "output_mode"),
    ({"features": {"a": "floaty"}}, "invalid feature type"),
    ({"features": {"a": "float"}, "crosses": [("a", "b")]}, "unknown features"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        FeatureSpace(**kwargs)


def test_use_before_adapt_and_non_dict():
    fs = FeatureSpace({"a": "float_normalized"})
    with pytest.raises(ValueError, match="adapt"):
        fs({"a": np.ones(3)})
    plain = FeatureSpace({"a": "float"})
    with pytest.raises(ValueError, match="dict"):
        plain(np.ones(3))
    assert np.asarray(plain({"a": np.array([1.0, 2.0])})).shape == (2, 1)
    assert utils.FeatureSpace is FeatureSpace
