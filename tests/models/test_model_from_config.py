"""keras.models.model_from_config and model_from_yaml (tf-keras 2.21 names)."""

import numpy as np
import pytest

import neokeras
from tf_keras_fixtures import load


@pytest.mark.parametrize("name", ["sequential", "functional"])
def test_tf_keras_model_configs_rebuild_the_same_model(name):
    case = load()["model_from_config"][name]
    model = neokeras.models.model_from_config(case["config"])
    assert model.name == case["config"]["config"]["name"]
    model.set_weights([np.asarray(w, "float32") for w in case["weights"]])
    np.testing.assert_allclose(model.predict(np.asarray(case["x"], "float32"), verbose=0),
                               case["y"], rtol=1e-5, atol=1e-6)


def test_keras3_config_and_layers():
    model = neokeras.Sequential([neokeras.Input((3,)), neokeras.layers.Dense(2, name="d")])
    clone = neokeras.models.model_from_config(neokeras.saving.serialize_keras_object(model))
    assert [layer.name for layer in clone.layers] == ["d"]
    layer = neokeras.models.model_from_config({"class_name": "Dense", "config": {"units": 2}})
    assert isinstance(layer, neokeras.layers.Dense) and layer.units == 2


def test_lists_and_lambdas_refused():
    with pytest.raises(TypeError, match=r"expects a dictionary, not a list. Received: "
                                        r"config=\[1\]. Did you meant to use "
                                        r"`Sequential.from_config\(config\)`\?"):
        neokeras.models.model_from_config([1])
    model = neokeras.Sequential([neokeras.Input((2,)),
                                 neokeras.layers.Lambda(lambda x: x * 2.0)])
    with pytest.raises(ValueError, match="safe_mode|unsafe"):
        neokeras.models.model_from_config(neokeras.saving.serialize_keras_object(model))


def test_model_from_yaml_raises_as_tf_keras():
    with pytest.raises(RuntimeError, match=r"^Method `model_from_yaml\(\)` has been removed due "
                                           r"to security risk of arbitrary code execution\. "
                                           r"Please use `Model.to_json\(\)` and "
                                           r"`model_from_json\(\)` instead\.$"):
        neokeras.models.model_from_yaml("class_name: Sequential\n")
