"""`initialize` (backend/jax/distributed_init.py): arguments, environment variables and errors,
checked with `jax.distributed.initialize` replaced by a recorder (the real two-process start-up
is tested in tests/distribution/test_multi_process.py)."""

import os
import subprocess
import sys

import jax
import pytest

from neokeras.backend.jax import distributed_init

ENV = (distributed_init.ENV_JOB_ADDRESSES, distributed_init.ENV_NUM_PROCESSES,
       distributed_init.ENV_PROCESS_ID)


@pytest.fixture
def calls(monkeypatch):
    """The keyword arguments each `jax.distributed.initialize` call received."""
    recorded = []
    monkeypatch.setattr(jax.distributed, "initialize", lambda **kw: recorded.append(kw))
    monkeypatch.setattr(distributed_init, "_agree_on_random_seed", lambda: None)
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    return recorded


def _expected(address, count, index):
    return {"coordinator_address": address, "num_processes": count, "process_id": index}


@pytest.mark.parametrize("args, env, expected", [
    (("10.0.0.1:1234", 2, 0), {}, _expected("10.0.0.1:1234", 2, 0)),
    # All addresses given: the first is the coordinator.
    (("10.0.0.1:1234,10.0.0.2:2345", 2, 1), {}, _expected("10.0.0.1:1234", 2, 1)),
    ((None, None, None), {}, _expected(None, None, None)),  # JAX's cluster detection
    ((None, None, None),
     {"KERAS_DISTRIBUTION_JOB_ADDRESSES": "h0:1,h1:2,h2:3",
      "KERAS_DISTRIBUTION_NUM_PROCESSES": "3", "KERAS_DISTRIBUTION_PROCESS_ID": "2"},
     _expected("h0:1", 3, 2)),
    # Arguments win over the environment.
    (("a:1", 4, 3), {"KERAS_DISTRIBUTION_JOB_ADDRESSES": "b:2",
                     "KERAS_DISTRIBUTION_NUM_PROCESSES": "2",
                     "KERAS_DISTRIBUTION_PROCESS_ID": "0"}, _expected("a:1", 4, 3)),
    ((None, 2, None), {"KERAS_DISTRIBUTION_PROCESS_ID": "1"}, _expected(None, 2, 1)),
])
def test_arguments_and_environment(calls, monkeypatch, args, env, expected):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    distributed_init.initialize(*args)
    assert calls == [expected]


@pytest.mark.parametrize("kwargs, env, match", [
    ({"job_addresses": "a:1,b:2,c:3", "num_processes": 2, "process_id": 0}, {},
     "lists 3 processes but num_processes=2"),
    ({"job_addresses": "a:1", "num_processes": 2, "process_id": 2}, {},
     "process_id` must be below `num_processes"),
    ({"job_addresses": "a:1", "num_processes": 0, "process_id": 0}, {}, "num_processes"),
    ({"job_addresses": "a:1", "num_processes": 2, "process_id": -1}, {}, "process_id"),
    ({"job_addresses": "a:1", "num_processes": 2.0, "process_id": 0}, {}, "num_processes"),
    ({"job_addresses": ["a:1"], "num_processes": 1, "process_id": 0}, {}, "job_addresses"),
    ({}, {"KERAS_DISTRIBUTION_NUM_PROCESSES": "two"}, "KERAS_DISTRIBUTION_NUM_PROCESSES"),
])
def test_bad_arguments_are_refused_before_starting(calls, monkeypatch, kwargs, env, match):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=match):
        distributed_init.initialize(**kwargs)
    assert calls == []


def test_cpu_collectives_are_turned_on(calls):
    previous = jax.config.jax_cpu_collectives_implementation
    jax.config.update("jax_cpu_collectives_implementation", None)
    try:
        distributed_init.initialize("localhost:1", 1, 0)
        assert jax.config.jax_cpu_collectives_implementation == "gloo"
    finally:
        jax.config.update("jax_cpu_collectives_implementation", previous)


def test_importing_and_seeding_leave_the_jax_backend_uninitialized():
    # `initialize` must run before JAX's backend starts, and programs import keras (and often
    # seed it) first.
    code = ("import neokeras\nneokeras.utils.set_random_seed(1)\n"
            "from jax._src import xla_bridge\n"
            "assert not xla_bridge.backends_are_initialized()\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
