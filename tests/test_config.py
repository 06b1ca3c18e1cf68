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


def _capped_run(namespace):
    """evaluate / predict / fit with validation under max_steps_per_epoch=2, as a record of
    values and of the warnings given."""
    import warnings

    model = namespace.Sequential([namespace.Input((2,)), namespace.layers.Dense(1)])
    model.set_weights([np.array([[0.5], [-0.25]], "float32"), np.array([0.1], "float32")])
    model.compile(optimizer=namespace.optimizers.SGD(0.01), loss="mse")
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.ones((10, 1), "float32")
    namespace.config.set_max_steps_per_epoch(2)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            record = {
                "evaluate": model.evaluate(x, y, batch_size=2, verbose=0),
                "evaluate_steps_1": model.evaluate(x, y, batch_size=2, steps=1, verbose=0),
                "predict": model.predict(x, batch_size=2, verbose=0),
                "predict_small": model.predict(x[:1], verbose=0),
                "fit": model.fit(x, y, batch_size=2, epochs=1, validation_data=(x, y),
                                 shuffle=False, verbose=0).history,
            }
    finally:
        namespace.config.set_max_steps_per_epoch(None)
    limits = [str(w.message) for w in caught if "Limiting" in str(w.message)]
    return record, limits


def test_max_steps_per_epoch_caps_evaluate_predict_and_validation_as_keras(restore_config):
    keras = pytest.importorskip("keras")
    ours, our_warnings = _capped_run(neokeras)
    theirs, their_warnings = _capped_run(keras)
    assert our_warnings == their_warnings == ["Limiting steps_per_epoch to 2"] * 5
    for key in ("evaluate", "evaluate_steps_1"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-6)
    for key in ("predict", "predict_small"):
        assert ours[key].shape == theirs[key].shape
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-6)
    assert ours["predict"].shape == (4, 1)  # the first two batches of two
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(ours["fit"][key], theirs["fit"][key], rtol=1e-5)


def test_max_epochs_caps_fit_only(restore_config):
    model = neokeras.Sequential([neokeras.Input((2,)), neokeras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    config.set_max_epochs(1)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # evaluate and predict are not capped: no warning
        model.evaluate(x, y, verbose=0)
        assert model.predict(x, batch_size=2, verbose=0).shape == (8, 1)


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


def test_predict_filters_its_own_tracebacks(restore_config):
    model = neokeras.Sequential([neokeras.Input(shape=(3,)), neokeras.layers.Dense(2)])
    bad = np.ones((1, 4), "float32")
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"
                       "|last dimension 3") as filtered:
        model.predict(bad, verbose=0)
    # predict re-raises the error itself (no decorator frame); the raising frame is kept.
    assert [os.path.basename(p) for p in _internal_frames(filtered)] == [
        "trainer.py", "input_spec.py"]
    config.disable_traceback_filtering()
    with pytest.raises(ValueError) as full:
        model.predict(bad, verbose=0)
    assert len(_internal_frames(full)) >= 3


def test_set_backend_accepts_jax_only(restore_config):
    config.set_backend("jax")
    assert config.backend() == "jax"
    with pytest.raises(ValueError, match="JAX backend only"):
        config.set_backend("torch")


def test_is_nnx_enabled_is_false():
    assert config.is_nnx_enabled() is False
