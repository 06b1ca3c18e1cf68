"""The persistent compilation cache: where it goes, how it turns off, and that a second
process compiles nothing the first one cached."""

import os
import subprocess
import sys

import pytest

from neokeras.backend.jax import compilation_cache


@pytest.mark.parametrize("env, expected", [
    ({}, os.path.join("HOME", "neokeras-jax-cache")),
    ({"NEOKERAS_JAX_CACHE": "1"}, os.path.join("HOME", "neokeras-jax-cache")),
    ({"NEOKERAS_JAX_CACHE": "0"}, None),
    ({"NEOKERAS_JAX_CACHE": "off"}, None),
    ({"NEOKERAS_JAX_CACHE": "/somewhere/else"}, "/somewhere/else"),
])
def test_cache_dir_follows_keras_home_and_the_switch(monkeypatch, env, expected):
    monkeypatch.delenv("NEOKERAS_JAX_CACHE", raising=False)
    monkeypatch.setenv("KERAS_HOME", "HOME")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert compilation_cache.cache_dir() == expected


_SCRIPT = """
import jax, neokeras
print(jax.config.jax_compilation_cache_dir)
f = jax.jit(lambda x: x * 3.0 + 1.0)
print(float(f(2.0)))
"""


def _run(env):
    env = {**os.environ, "JAX_PLATFORMS": "cpu", **env}
    out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.split()


def test_a_fresh_process_writes_the_cache_and_the_switch_turns_it_off(tmp_path):
    home = tmp_path / "home"
    directory, value = _run({"KERAS_HOME": str(home), "NEOKERAS_JAX_CACHE": "1"})
    assert value == "7.0" and directory == str(home / "neokeras-jax-cache")
    assert os.listdir(directory)  # the jitted program was stored
    off = tmp_path / "off"
    directory, _ = _run({"KERAS_HOME": str(off), "NEOKERAS_JAX_CACHE": "0"})
    assert directory == "None" and not off.exists()


_FIT_SCRIPT = """
from jax import monitoring
counts = {"hits": 0, "misses": 0, "compiles": 0}
def on_event(event, **kwargs):
    if event == "/jax/compilation_cache/cache_hits":
        counts["hits"] += 1
    elif event == "/jax/compilation_cache/cache_misses":
        counts["misses"] += 1
def on_span(event, start, end, **kwargs):
    if event == "/jax/core/compile/backend_compile_duration":
        counts["compiles"] += 1
monitoring.register_event_listener(on_event)
monitoring.register_event_time_span_listener(on_span)

import numpy as np
import neokeras as keras
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).random((50, 4)).astype("float32")
y = (x.sum(axis=1) > 2).astype("float32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dropout(0.1), keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, batch_size=8, epochs=2, validation_split=0.2, verbose=0)
model.evaluate(x, y, verbose=0)
model.predict(x[:3], verbose=0)
from neokeras.backend.jax import executable_cache
print(counts["hits"], counts["misses"], counts["compiles"], executable_cache.stats()["hits"])
"""


def test_a_second_run_of_a_training_script_compiles_nothing(tmp_path):
    # Counted from JAX's own cache events: every XLA compilation of the second process is a
    # read of the first one's cache (building, evaluate's and predict's programs), and fit's
    # chunk programs are loaded from the stored executables (`executable_cache`), which the
    # first run compiled outside JAX's cache.
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "KERAS_HOME": str(tmp_path),
           "NEOKERAS_JAX_CACHE": "1"}

    def run():
        out = subprocess.run([sys.executable, "-c", _FIT_SCRIPT], env=env, capture_output=True,
                             text=True, check=True)
        return [int(n) for n in out.stdout.split()[-4:]]

    hits, misses, compiles, loaded = run()
    assert misses > 0 and loaded == 0
    hits, misses, compiles, loaded = run()
    assert misses == 0 and hits == compiles > 0 and loaded >= 2
