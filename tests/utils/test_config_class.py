"""`utils.Config` behaves like Keras's."""

import pytest

from neokeras.utils import Config

keras = pytest.importorskip("keras")


@pytest.mark.parametrize("cls", [Config, keras.utils.Config])
def test_config_like_keras(cls):
    config = cls(learning_rate=0.1)
    config.momentum = 0.9
    config["decay"] = 1e-3
    assert config.learning_rate == 0.1 and config["momentum"] == 0.9
    assert list(config) == ["decay", "learning_rate", "momentum"] and len(config) == 3
    assert "decay" in config and config.get("nope", 5) == 5
    assert config.as_dict() == {"learning_rate": 0.1, "momentum": 0.9, "decay": 1e-3}
    assert config.pop("decay") == 1e-3
    config.freeze()
    assert config.frozen
    with pytest.raises(ValueError, match="frozen"):
        config.x = 1
    with pytest.raises(ValueError, match="frozen"):
        config["x"] = 1
    config.unfreeze()
    config.update(x=2)
    assert config.to_json() == '{"learning_rate": 0.1, "momentum": 0.9, "x": 2}'
    with pytest.raises(AttributeError, match="Did you mean 'momentum'"):
        config.momentun
