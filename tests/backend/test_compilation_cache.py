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
