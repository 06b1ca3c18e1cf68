"""`neokeras.config`: every switch of `keras.config` exists and does what Keras's does."""

import os
import subprocess
import sys

import numpy as np
import pytest

import neokeras
from neokeras import config


@pytest.fixture
def restore_config():
    yield
    config.set_floatx("float32")
    config.set_epsilon(1e-7)
    config.set_image_data_format("channels_last")
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)
    config.enable_flash_attention()
    config.enable_interactive_logging()
    config.enable_traceback_filtering()
    config._UNSAFE_DESERIALIZATION = False


def test_every_keras_config_name_exists():
    keras = pytest.importorskip("keras")
    names = [n for n in dir(keras.config) if not n.startswith("_")]
    assert len(names) == 25
    assert [n for n in names if not hasattr(config, n)] == []


def test_defaults_match_keras():
    keras = pytest.importorskip("keras")
    for name in ("floatx", "epsilon", "image_data_format", "backend", "max_epochs",
                 "max_steps_per_epoch", "is_flash_attention_enabled", "is_nnx_enabled",
                 "is_interactive_logging_enabled", "is_traceback_filtering_enabled"):
        assert getattr(config, name)() == getattr(keras.config, name)(), name


def test_floatx_drives_default_dtypes(restore_config):
    config.set_floatx("float16")
    assert str(neokeras.ops.ones((2,)).dtype) == "float16"
    assert str(neokeras.random.normal((2,), seed=1).dtype) == "float16"
    with pytest.raises(ValueError, match="floatx"):
        config.set_floatx("int8")


def test_flash_attention_switches(restore_config):
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None


def test_max_epochs_and_steps_cap_fit(restore_config):
    model = neokeras.Sequential([neokeras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    x, y = np.ones((40, 2), "float32"), np.ones((40, 1), "float32")
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    with pytest.warns(UserWarning, match="Limiting"):
        history = model.fit(x, y, batch_size=4, epochs=5, verbose=0)
    assert len(history.history["loss"]) == 2
    assert int(model.optimizer.iterations.numpy()) == 6


def test_max_epochs_from_environment():
    env = dict(os.environ, KERAS_MAX_EPOCHS="3", KERAS_MAX_STEPS_PER_EPOCH="7")
    out = subprocess.run(
        [sys.executable, "-c",
         "from neokeras import config; print(config.max_epochs(), config.max_steps_per_epoch())"],
        env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "7"]


def test_unsafe_deserialization_lets_lambdas_load(restore_config):
    from neokeras.saving.serialization import deserialize_keras_object, serialize_keras_object

    layer = neokeras.layers.Lambda(lambda x: x * 3.0)
    serialized = serialize_keras_object(layer)
    with pytest.raises(ValueError):
        deserialize_keras_object(serialized)
    config.enable_unsafe_deserialization()
    restored = deserialize_keras_object(serialized)
    np.testing.assert_allclose(restored(np.ones((1, 2), "float32")), [[3.0, 3.0]])


def test_interactive_logging_switch(restore_config, capsys):
    config.disable_interactive_logging()
    assert not config.is_interactive_logging_enabled()
    assert not neokeras.utils.is_interactive_logging_enabled()
    config.enable_interactive_logging()
    assert config.is_interactive_logging_enabled()


class _Broken(neokeras.layers.Layer):
    def call(self, x):
        raise ValueError("boom")


def _frames(exc_info):
    return [entry.path for entry in exc_info.traceback]


def _internal_frames(exc_info):
    package = os.path.dirname(neokeras.__file__)
    return [p for p in _frames(exc_info) if str(p).startswith(package)]


def test_traceback_filtering_hides_internal_frames(restore_config):
    with pytest.raises(ValueError, match="boom") as filtered:
        _Broken()(np.ones((1, 2), "float32"))
    # Only the re-raise in the filtering wrapper itself remains.
    assert [os.path.basename(p) for p in _internal_frames(filtered)] == ["traceback_utils.py"]
    config.disable_traceback_filtering()
    assert not config.is_traceback_filtering_enabled()
    with pytest.raises(ValueError, match="boom") as full:
        _Broken()(np.ones((1, 2), "float32"))
    assert len(_internal_frames(full)) >= 2


def test_set_backend_accepts_jax_only(restore_config):
    config.set_backend("jax")
    assert config.backend() == "jax"
    with pytest.raises(ValueError, match="JAX backend only"):
        config.set_backend("torch")


def test_is_nnx_enabled_is_false():
    assert config.is_nnx_enabled() is False
