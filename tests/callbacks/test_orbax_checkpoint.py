"""`OrbaxCheckpoint` against Keras 3.15.1's: which steps it saves and keeps, and that either
framework restores what the other wrote (model, weights, optimizer state, assets)."""

import logging
import os
import sys

import numpy as np
import pytest

import neokeras

keras = pytest.importorskip("keras")
pytest.importorskip("orbax.checkpoint")

_X = np.random.default_rng(0).random((16, 3)).astype("float32")
_Y = _X.sum(axis=1, keepdims=True)


@pytest.fixture(autouse=True)
def _quiet_orbax():
    # Orbax logs a warning per save about merging per-process OCDBT files (none here).
    logger = logging.getLogger("absl")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _model(k, optimizer="adam"):
    inputs = k.Input((3,))
    hidden = k.layers.Dense(4, name="d1")(inputs)
    hidden = k.layers.BatchNormalization(name="bn")(hidden)
    model = k.Model(inputs, k.layers.Dense(1, name="d2")(hidden), name="net")
    model.compile(k.optimizers.get(optimizer), "mse", metrics=["mae"])
    return model


def _steps(directory):
    return sorted(int(entry) for entry in os.listdir(directory) if entry.isdigit())


def _optimizer_state(model):
    return {v.path: np.asarray(v.numpy()) for v in model.optimizer.variables}


def _scripted_scores(k, values):
    """A callback logging `val_score` from `values`, one per epoch (before the checkpoint)."""
    values = iter(values)

    class Script(k.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_score"] = next(values)

    return Script()


_SCHEDULES = {
    "every epoch, keep all": dict(kwargs=dict(max_to_keep=None), epochs=3),
    "every epoch, keep 1": dict(kwargs=dict(), epochs=3),
    "every 3 batches, keep 2": dict(kwargs=dict(save_freq=3, max_to_keep=2), epochs=3),
    "best only (min)": dict(kwargs=dict(monitor="val_score", save_best_only=True, mode="min",
                                        max_to_keep=None), epochs=5,
                            scores=[3.0, 2.0, 2.5, 1.0, 1.5]),
    "best only (max), threshold": dict(
        kwargs=dict(monitor="val_score", save_best_only=True, mode="max", max_to_keep=None,
                    initial_value_threshold=2.2), epochs=5, scores=[3.0, 2.0, 2.5, 1.0, 3.5]),
}


def _saved_steps(k, directory, case):
    model = _model(k)
    spec = _SCHEDULES[case]
    callbacks = [_scripted_scores(k, spec["scores"])] if "scores" in spec else []
    checkpoint = k.callbacks.OrbaxCheckpoint(str(directory), save_on_background=False,
                                             **spec["kwargs"])
    model.fit(_X, _Y, batch_size=4, epochs=spec["epochs"], verbose=0,
              callbacks=callbacks + [checkpoint])
    return _steps(directory)


@pytest.mark.parametrize("case", sorted(_SCHEDULES))
def test_saved_and_kept_steps_match_keras(case, tmp_path):
    ours = _saved_steps(neokeras, tmp_path / "ours", case)
    assert ours == _saved_steps(keras, tmp_path / "keras", case)
    assert ours  # every schedule saves something


# Keras restores onto the shardings recorded in the checkpoint, and says so.
@pytest.mark.filterwarnings("ignore:Sharding info not provided:UserWarning")
@pytest.mark.parametrize("writer,reader", [("keras", "neokeras"), ("neokeras", "keras"),
                                           ("neokeras", "neokeras")])
def test_checkpoint_restores_across_frameworks(writer, reader, tmp_path):
    k_write, k_read = sys.modules[writer], sys.modules[reader]
    model = _model(k_write)
    checkpoint = k_write.callbacks.OrbaxCheckpoint(str(tmp_path), save_freq=3, max_to_keep=2)
    model.fit(_X, _Y, batch_size=4, epochs=3, verbose=0, callbacks=[checkpoint])
    assert _steps(tmp_path) == [9, 12]
    expected, state = model.predict(_X, verbose=0), _optimizer_state(model)

    loaded = k_read.saving.load_model(str(tmp_path))
    np.testing.assert_allclose(loaded.predict(_X, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert int(loaded.optimizer.iterations) == 12
    restored = _optimizer_state(loaded)
    assert sorted(restored) == sorted(state)
    for path in state:
        np.testing.assert_array_equal(restored[path], state[path])

    k_read.backend.clear_session()  # the fresh optimizer is "adam" again, as in the checkpoint
    fresh = _model(k_read)
    fresh.optimizer.build(fresh.trainable_variables)
    if k_read is neokeras:  # (Keras 3.15.1 does not recognize a step folder as a checkpoint)
        fresh.load_weights(str(tmp_path / "9"))  # one step's folder
        assert int(fresh.optimizer.iterations) == 9
    fresh.load_weights(str(tmp_path))  # the latest step
    np.testing.assert_allclose(fresh.predict(_X, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert int(fresh.optimizer.iterations) == 12


@pytest.mark.parametrize("writer", ["keras", "neokeras"])
def test_sequential_checkpoint_restores_in_neokeras(writer, tmp_path):
    """A Sequential model rebuilt from its config has paths without the model's name (in
    Keras too, whose own reload then leaves the weights unassigned); neokeras matches the
    saved `seq/...` paths and optimizer slots to them."""
    k = sys.modules[writer]
    model = k.Sequential([k.Input((3,)), k.layers.Dense(4, name="d1"),
                          k.layers.Dense(1, name="d2")], name="seq")
    model.compile(k.optimizers.Adam(0.01), "mse")
    checkpoint = k.callbacks.OrbaxCheckpoint(str(tmp_path), save_on_background=False)
    model.fit(_X, _Y, batch_size=8, epochs=2, verbose=0, callbacks=[checkpoint])
    loaded = neokeras.saving.load_model(str(tmp_path))
    np.testing.assert_allclose(loaded.predict(_X, verbose=0), model.predict(_X, verbose=0),
                               rtol=1e-5, atol=1e-6)
    saved = sorted(np.asarray(v.numpy()).tobytes() for v in model.optimizer.variables)
    assert sorted(np.asarray(v.numpy()).tobytes() for v in loaded.optimizer.variables) == saved


@pytest.mark.parametrize("writer", ["keras", "neokeras"])
def test_weights_only_checkpoint(writer, tmp_path):
    k = sys.modules[writer]
    model = _model(k)
    checkpoint = k.callbacks.OrbaxCheckpoint(str(tmp_path), save_weights_only=True)
    model.fit(_X, _Y, batch_size=8, epochs=2, verbose=0, callbacks=[checkpoint])
    assert _steps(tmp_path) == [1]
    assert "pytree" in os.listdir(tmp_path / "1")
    assert "model_config" not in os.listdir(tmp_path / "1")
    with pytest.raises(ValueError, match="save_weights_only"):
        neokeras.saving.load_model(str(tmp_path))
    fresh = _model(neokeras)
    fresh.load_weights(str(tmp_path))
    np.testing.assert_allclose(fresh.predict(_X, verbose=0), model.predict(_X, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_background_saves_and_resumed_step_numbers_match_keras(tmp_path):
    def run(k, directory):
        model = _model(k)
        checkpoint = k.callbacks.OrbaxCheckpoint(str(directory), save_freq=2, max_to_keep=None)
        model.fit(_X, _Y, batch_size=8, epochs=2, verbose=0, callbacks=[checkpoint])
        first = _steps(directory)
        model.fit(_X, _Y, batch_size=8, epochs=1, verbose=0, callbacks=[checkpoint])
        checkpoint.wait_until_finished()
        return first, _steps(directory)

    ours = run(neokeras, tmp_path / "ours")
    assert ours == run(keras, tmp_path / "keras")
    assert ours == ([2, 4], [2, 4, 6])


def test_assets_travel_with_the_checkpoint(tmp_path):
    # (Keras's StringLookup needs TensorFlow, so only neokeras writes and reads here.)
    lookup = neokeras.layers.StringLookup(name="lookup")
    lookup.adapt(np.array(["dog", "cat", "dog", "fish", "dog", "cat"]))
    inputs = neokeras.Input((1,), dtype="string")
    model = neokeras.Model(inputs, lookup(inputs))
    model.compile("sgd", "mse")
    assert model.get_layer("lookup").get_config()["vocabulary"] is None  # only in the assets
    checkpoint = neokeras.callbacks.OrbaxCheckpoint(str(tmp_path), save_on_background=False)
    checkpoint.set_model(model)
    checkpoint.on_epoch_end(0, {})
    checkpoint.on_train_end()
    assert "assets" in os.listdir(tmp_path / "0")
    loaded = neokeras.saving.load_model(str(tmp_path))
    assert loaded.get_layer("lookup").get_vocabulary() == ["[UNK]", "dog", "cat", "fish"]


def test_bad_arguments_and_missing_package(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="save_freq"):
        neokeras.callbacks.OrbaxCheckpoint(str(tmp_path), save_freq="batch")
    with pytest.raises(ValueError, match="max_to_keep"):
        neokeras.callbacks.OrbaxCheckpoint(str(tmp_path), max_to_keep=0)
    with pytest.raises(ValueError, match="not an Orbax checkpoint"):
        _model(neokeras).load_weights(str(tmp_path))
    monkeypatch.setitem(sys.modules, "orbax.checkpoint", None)
    with pytest.raises(ImportError, match="orbax-checkpoint"):
        neokeras.callbacks.OrbaxCheckpoint(str(tmp_path / "x"))
