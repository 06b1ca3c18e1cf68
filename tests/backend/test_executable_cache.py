"""Stored `fit`/`evaluate` programs: a second process loads them instead of tracing, with
bitwise the same results; any change that shapes the program misses; models the key cannot
vouch for are never stored; corrupt entries are compiled again; the switch turns it off."""

import json
import os
import subprocess
import sys

import jax
import numpy as np
import pytest

import neokeras as keras
from neokeras.backend.jax import executable_cache
from neokeras.trainers import program_key

_SCRIPT = """
import hashlib, json, sys
from jax import monitoring
traces = []
monitoring.register_event_time_span_listener(
    lambda event, start, end, **kw: traces.append(kw.get("fun_name"))
    if event == "/jax/core/compile/jaxpr_trace_duration" else None)
import numpy as np
import neokeras as keras
from neokeras.backend.jax import executable_cache
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).random((40, 4)).astype("float32")
y = (x.sum(axis=1) > 2).astype("float32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dropout(0.2), keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
history = model.fit(x, y, batch_size=8, epochs=2, validation_split=0.2, verbose=0).history
weights = [hashlib.sha256(np.asarray(w).tobytes()).hexdigest() for w in model.get_weights()]
print(json.dumps({"history": {k: [float(v).hex() for v in vs] for k, vs in history.items()},
                  "weights": weights, "stats": executable_cache.stats(),
                  "chunk_traces": traces.count("traced"), "probe_traces": traces.count("probe"),
                  "compile_count": model.compile_count}))
"""


def _fit_in_a_fresh_process(tmp_path, cache):
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "NEOKERAS_JAX_CACHE": cache,
           "NEOKERAS_TEST_JAX_CACHE": str(tmp_path / "unused")}
    env.pop("XLA_FLAGS", None)
    out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_a_second_process_loads_the_programs_and_matches_a_run_without_the_cache(tmp_path):
    cache = str(tmp_path / "cache")
    first = _fit_in_a_fresh_process(tmp_path, cache)
    # The train and test chunks, and the train and test forward probes.
    assert first["stats"] == {"hits": 0, "misses": 2, "stored": 2, "result_hits": 0,
                              "result_misses": 2, "result_stored": 2}
    assert first["chunk_traces"] == 2 and first["probe_traces"] == 2
    assert len(os.listdir(os.path.join(cache, "executables"))) == 4
    second = _fit_in_a_fresh_process(tmp_path, cache)
    assert second["stats"] == {"hits": 2, "misses": 0, "stored": 0, "result_hits": 2,
                               "result_misses": 0, "result_stored": 0}
    assert second["chunk_traces"] == 0 and second["probe_traces"] == 0  # nothing traced
    assert second["compile_count"] == first["compile_count"]  # loads count as programs
    off = _fit_in_a_fresh_process(tmp_path, "0")
    assert not any(off["stats"].values())
    for run in (first, second):
        assert run["history"] == off["history"] and run["weights"] == off["weights"]


_SWITCH_SCRIPT = """
import json, os, sys
import numpy as np
import jax
import neokeras as keras
root = sys.argv[1]

def run(features):
    model = keras.Sequential([keras.Input((features,)), keras.layers.Dense(3)])
    model.compile("sgd", "mse")
    model.fit(np.ones((8, features), "float32"), np.ones((8, 3), "float32"), verbose=0)
    model.predict(np.ones((2, features), "float32"), verbose=0)  # in JAX's cache only
    found = [os.path.relpath(os.path.join(d, f), root)
             for d, _, files in os.walk(root) for f in files]
    return {"enabled": keras.config.is_compilation_cache_enabled(),
            "jax_dir": jax.config.jax_compilation_cache_dir,
            "stored": sum(f.startswith("executables") for f in found),
            "jax": sum(not f.startswith("executables") for f in found)}

keras.config.disable_compilation_cache()
off = run(2)
keras.config.enable_compilation_cache()
on = run(3)
keras.config.disable_compilation_cache()
print(json.dumps([off, on, run(4)]))
"""


def test_the_config_switch_turns_both_caches_off_and_on(tmp_path):
    root = str(tmp_path / "cache")
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "NEOKERAS_JAX_CACHE": root}
    env.pop("XLA_FLAGS", None)
    out = subprocess.run([sys.executable, "-c", _SWITCH_SCRIPT, root], env=env,
                         capture_output=True, text=True, check=True)
    off, on, off_again = json.loads(out.stdout.splitlines()[-1])
    assert off == {"enabled": False, "jax_dir": None, "stored": 0, "jax": 0}
    assert on["enabled"] and on["jax_dir"] == root
    assert on["stored"] == 2 and on["jax"] > 0  # the training chunk and probe; predict's forward
    assert off_again == {"enabled": False, "jax_dir": None, "stored": 2, "jax": on["jax"]}


def test_the_config_switch_overrides_the_environment(monkeypatch, tmp_path):
    from neokeras.backend.jax import compilation_cache

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("NEOKERAS_JAX_CACHE", "0")
    monkeypatch.setitem(compilation_cache._STATE, "enabled", None)
    monkeypatch.setitem(compilation_cache._STATE, "directory", None)
    assert not keras.config.is_compilation_cache_enabled()
    # In the tests JAX's cache directory is the test suite's own: the switch leaves it alone.
    jax_dir = jax.config.jax_compilation_cache_dir
    keras.config.enable_compilation_cache()
    assert keras.config.is_compilation_cache_enabled()
    assert executable_cache.directory() == str(tmp_path / "neokeras-jax-cache" / "executables")
    keras.config.disable_compilation_cache()
    assert executable_cache.directory() is None
    assert jax.config.jax_compilation_cache_dir == jax_dir


# ------------------------------------------------------------------ in-process, in tmp_path
@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("NEOKERAS_JAX_CACHE", str(directory))
    return directory / "executables"


def _data(features=3, rows=24):
    rng = np.random.default_rng(0)
    return (rng.random((rows, features)).astype("float32"),
            rng.random((rows, 1)).astype("float32"))


def _fit(features=3, batch_size=8, rows=24):
    keras.backend.clear_session()  # the same layer names in every build
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((features,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = _data(features, rows)
    history = model.fit(x, y, batch_size=batch_size, epochs=2, verbose=0).history
    return history, model.get_weights()


def _delta(before, kinds=("hits", "misses", "stored")):
    after = executable_cache.stats()
    return {k: after[k] - before[k] for k in kinds}


@pytest.mark.parametrize("change, hits", [
    ({}, 1),
    ({"batch_size": 6}, 0),
    ({"features": 5}, 0),
    ({"rows": 30}, 0),  # the training data lives on the device: its row count is an argument
])
def test_only_the_same_model_and_arguments_load_a_stored_program(cache_dir, change, hits):
    _fit()
    before = executable_cache.stats()
    _fit(**change)
    assert _delta(before) == {"hits": hits, "misses": 1 - hits, "stored": 1 - hits}
    # The probe sees one batch: the same unless the batch changed.
    probe_hit = int("rows" in change or not change)
    assert _delta(before, ("result_hits", "result_misses")) == {
        "result_hits": probe_hit, "result_misses": 1 - probe_hit}


def test_a_load_counts_as_compilation_and_gives_the_same_result(cache_dir):
    from jax import monitoring

    first = _fit()
    spans = []

    def on_span(event, start, end, **kwargs):
        if event == executable_cache.SPAN:
            spans.append(end - start)

    monitoring.register_event_time_span_listener(on_span)
    try:
        compiled = keras.backend.compile_seconds()
        second = _fit()
        compiled = keras.backend.compile_seconds() - compiled
    finally:
        monitoring.unregister_event_time_span_listener(on_span)
    assert spans and compiled >= sum(spans) > 0
    assert first[0] == second[0]
    for a, b in zip(first[1], second[1]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped byte", "other format"])
def test_a_damaged_entry_is_compiled_again(cache_dir, damage):
    first = _fit()
    (entry,) = cache_dir.glob("*.bin")
    content = entry.read_bytes()
    entry.write_bytes({"garbage": b"not a program",
                       "truncated": content[:len(content) // 2],
                       "flipped byte": content[:-10] + bytes([content[-10] ^ 1]) + content[-9:],
                       "other format": b"neokeras-executable-0\n" + content[22:]}[damage])
    (probe,) = cache_dir.glob("*.json")
    probe.write_text({"garbage": "{", "truncated": probe.read_text()[:-3],
                      "flipped byte": '{"format": 1, "result": [1]}',
                      "other format": '{"format": "x", "result": []}'}[damage])
    before = executable_cache.stats()
    second = _fit()
    assert _delta(before) == {"hits": 0, "misses": 1, "stored": 1}
    assert _delta(before, ("result_misses", "result_stored")) == {
        "result_misses": 1, "result_stored": 1}
    assert first[0] == second[0]
    before = executable_cache.stats()
    _fit()  # the entry was rewritten whole
    assert _delta(before) == {"hits": 1, "misses": 0, "stored": 0}
    assert not [p for p in cache_dir.iterdir() if p.suffix == ".tmp"]


def test_the_switch_turns_it_off(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setenv("NEOKERAS_JAX_CACHE", "0")
    before = executable_cache.stats()
    _fit()
    assert executable_cache.directory() is None
    assert not any(_delta(before, tuple(before)).values())
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("limit, kept", [
    (600, {"a.bin", "b.json", "c.bin"}),
    (599, {"b.json", "c.bin"}),
    (500, {"b.json", "c.bin"}),
    (499, {"c.bin"}),
    (0, set()),
])
def test_trimming_removes_the_least_recently_used_entries(tmp_path, monkeypatch, limit, kept):
    sizes = {"a.bin": 100, "b.json": 200, "c.bin": 300, "d.tmp": 5000}  # a write in flight
    for age, (name, size) in enumerate(sizes.items()):
        (tmp_path / name).write_bytes(b"x" * size)
        os.utime(tmp_path / name, (1000 + age, 1000 + age))
    os.utime(tmp_path / "d.tmp", (0, 0))
    monkeypatch.setenv("NEOKERAS_EXECUTABLE_CACHE_MB", str(limit / 2**20))
    executable_cache._trim(str(tmp_path))
    assert {p.name for p in tmp_path.iterdir()} == kept | {"d.tmp"}


def test_a_load_keeps_an_entry_and_a_write_trims_the_oldest(cache_dir, monkeypatch):
    _fit(features=3)
    first = {p.name: p.stat().st_size for p in cache_dir.iterdir()}
    for path in cache_dir.iterdir():
        os.utime(path, (1000, 1000))
    before = executable_cache.stats()
    _fit(features=3)
    assert _delta(before) == {"hits": 1, "misses": 0, "stored": 0}
    assert all(p.stat().st_mtime > 1000 for p in cache_dir.iterdir())  # loads refresh
    for path in cache_dir.iterdir():
        os.utime(path, (1000, 1000))
    # Room for about one model's entries: the second model's writes evict the first's.
    key = executable_cache.environment_key()
    monkeypatch.setenv("NEOKERAS_EXECUTABLE_CACHE_MB", str(1.5 * sum(first.values()) / 2**20))
    assert executable_cache.environment_key() == key  # the size is not part of the key
    _fit(features=5)
    remaining = {p.name for p in cache_dir.iterdir()}
    assert max(first, key=first.get) not in remaining  # the first model's program went
    assert len(remaining - set(first)) == 2  # the second model's program and probe stayed
    assert sum(p.stat().st_size for p in cache_dir.iterdir()) <= executable_cache.max_bytes()
    before = executable_cache.stats()
    _fit(features=5)
    assert _delta(before) == {"hits": 1, "misses": 0, "stored": 0}


def test_a_bad_size_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("NEOKERAS_EXECUTABLE_CACHE_MB", "lots")
    with pytest.raises(ValueError, match="NEOKERAS_EXECUTABLE_CACHE_MB must be a number"):
        executable_cache.max_bytes()


# ------------------------------------------------------------------ the model's key
def _key(layers=None, compile_kwargs=None, prepare=True):
    keras.backend.clear_session()
    model = keras.Sequential(layers() if layers else [
        keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dropout(0.1),
        keras.layers.Dense(1, activation="sigmoid")])
    kwargs = {"optimizer": keras.optimizers.Adam(learning_rate=0.001),
              "loss": "binary_crossentropy", "metrics": ["accuracy"]}
    kwargs.update(compile_kwargs or {})
    model.compile(**kwargs)
    x, y = _data()
    model._prepare(x, (y > 0.5).astype("float32"), training=True)
    return program_key.program_key(model, "train")


def _layers(**dense):
    options = {"units": 4, "activation": "relu", **dense}
    return lambda: [keras.Input((3,)), keras.layers.Dense(**options), keras.layers.Dropout(0.1),
                    keras.layers.Dense(1, activation="sigmoid")]


@pytest.mark.parametrize("layers, compile_kwargs", [
    (_layers(units=5), None),
    (_layers(activation="tanh"), None),
    (_layers(use_bias=False), None),
    (_layers(dtype="bfloat16"), None),
    (_layers(kernel_regularizer="l2"), None),
    (lambda: [keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
              keras.layers.Dropout(0.2), keras.layers.Dense(1, activation="sigmoid")], None),
    (None, {"optimizer": keras.optimizers.Adam(learning_rate=0.01)}),
    (None, {"optimizer": keras.optimizers.Adam(learning_rate=0.001, beta_1=0.8)}),
    (None, {"optimizer": keras.optimizers.SGD(learning_rate=0.001)}),
    (None, {"optimizer": "adam"}),  # another lr (0.001 both, but spelled as a name)
    (None, {"loss": "mse"}),
    (None, {"loss": keras.losses.BinaryCrossentropy(label_smoothing=0.1)}),
    (None, {"metrics": ["accuracy", "mae"]}),
    (None, {"metrics": []}),
    (None, {"loss_weights": [2.0]}),
    (None, {"steps_per_execution": 4}),
], ids=["units", "activation", "use_bias", "dtype", "regularizer", "dropout rate", "lr",
        "beta_1", "optimizer class", "optimizer by name", "loss", "loss config", "metrics",
        "no metrics", "loss_weights", "steps_per_execution"])
def test_what_shapes_the_program_changes_the_key(layers, compile_kwargs):
    base = _key()
    assert base is not None and _key() == base  # the same model again: the same key
    assert _key(layers, compile_kwargs) not in (None, base)


def test_frozen_layers_and_the_global_dtype_policy_change_the_key():
    base = _key()
    keras.backend.clear_session()
    model = keras.Sequential(_layers()())
    model.layers[0].trainable = False
    model.compile(keras.optimizers.Adam(learning_rate=0.001), "binary_crossentropy",
                  metrics=["accuracy"])
    x, y = _data()
    model._prepare(x, (y > 0.5).astype("float32"), training=True)
    assert program_key.program_key(model, "train") not in (None, base)
    assert program_key.program_key(model, "test") != program_key.program_key(model, "train")
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        assert _key() not in (None, base)
    finally:
        keras.config.set_dtype_policy("float32")


class _MyDense(keras.layers.Dense):
    pass


class _MySequential(keras.Sequential):
    def train_step(self, state, data):
        return super().train_step(state, data)


def _my_activation(x):
    return keras.ops.relu(x)


def _my_loss(y_true, y_pred):
    return keras.ops.mean((y_true - y_pred) ** 2, axis=-1)


@pytest.mark.parametrize("layers, compile_kwargs", [
    (lambda: [keras.Input((3,)), _MyDense(1)], None),
    (lambda: [keras.Input((3,)), keras.layers.Lambda(lambda t: t * 2.0),
              keras.layers.Dense(1)], None),
    (lambda: [keras.Input((3,)), keras.layers.Dense(1, activation=_my_activation)], None),
    (lambda: [keras.Input((3,)), keras.layers.Dense(1, activation=lambda t: t)], None),
    (lambda: [keras.Input((3,)), keras.layers.Activation(_my_activation)], None),
    (None, {"loss": _my_loss}),
    (None, {"metrics": [_my_loss]}),
    (None, {"metrics": [keras.metrics.MeanMetricWrapper(_my_loss)]}),
    (None, {"loss": lambda y_true, y_pred: keras.ops.mean(y_pred)}),
], ids=["custom layer", "Lambda", "custom activation", "lambda activation",
        "Activation(fn)", "loss function", "metric function", "metric wrapping a function",
        "lambda loss"])
def test_user_code_is_never_stored(layers, compile_kwargs):
    assert _key(layers, compile_kwargs) is None


def test_subclassed_models_are_never_stored():
    keras.backend.clear_session()
    model = _MySequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = _data()
    model._prepare(x, y, training=True)
    assert program_key.program_key(model, "train") is None


def test_a_run_under_a_distribution_is_never_stored():
    from neokeras.distribution import DataParallel
    from neokeras.distribution import set_distribution

    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = _data()
    model._prepare(x, y, training=True)
    assert program_key.program_key(model, "train") is not None
    set_distribution(DataParallel())
    try:
        assert program_key.program_key(model, "train") is None
    finally:
        set_distribution(None)


def test_a_method_patched_into_a_neokeras_class_is_never_stored(monkeypatch):
    assert _key() is not None
    original = keras.layers.Dense.call

    def patched(self, inputs, *args, **kwargs):
        return original(self, inputs, *args, **kwargs) * 2.0

    monkeypatch.setattr(keras.layers.Dense, "call", patched)
    assert _key() is None


def _functional():
    inputs = keras.Input((6, 6, 2))
    a = keras.layers.Conv2D(3, 3, padding="same", activation="relu")(inputs)
    a = keras.layers.BatchNormalization()(a)
    b = keras.layers.MaxPooling2D()(inputs)
    b = keras.layers.UpSampling2D()(b)
    merged = keras.layers.Concatenate()([a, b])
    outputs = keras.layers.Dense(1)(keras.layers.GlobalAveragePooling2D()(merged))
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize("build, x, compile_kwargs", [
    (_functional, np.zeros((4, 6, 6, 2), "float32"), {}),
    (lambda: keras.Sequential([keras.Input((5,), dtype="int32"),
                               keras.layers.Embedding(10, 4, mask_zero=True),
                               keras.layers.LSTM(3), keras.layers.Dense(1)]),
     np.ones((4, 5), "int32"), {"optimizer": keras.optimizers.AdamW(), "metrics": ["mae"]}),
    (lambda: keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, dtype="mixed_float16"),
                               keras.layers.LayerNormalization(), keras.layers.Dense(1)]),
     np.zeros((4, 4), "float32"),
     {"loss": keras.losses.Huber(), "metrics": [keras.metrics.RootMeanSquaredError()]}),
], ids=["functional conv", "embedding lstm", "mixed precision"])
def test_built_in_models_are_stored(build, x, compile_kwargs):
    keras.backend.clear_session()
    model = build()
    model.compile(**{"optimizer": "adam", "loss": "mse", **compile_kwargs})
    model._prepare(x, np.zeros((4, 1), "float32"), training=True)
    assert program_key.program_key(model, "train") is not None


def test_a_function_patched_into_a_neokeras_module_is_never_stored(monkeypatch):
    from neokeras import activations

    assert _key() is not None
    monkeypatch.setattr(activations, "relu", lambda x, *args, **kwargs: x)
    assert _key() is None
