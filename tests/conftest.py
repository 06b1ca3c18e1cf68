"""Test configuration: two fake CPU devices (so data-parallel code is testable) and a clean
name and random state for every test."""

import gc
import json
import os
import pathlib
import subprocess
import sys

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=2")
os.environ.setdefault("KERAS_BACKEND", "jax")
# Convolutions use XLA's native lowering unless a test asks otherwise: choosing one by timing
# both (benchmarks) would make the suite slower and its programs depend on the machine's load.
os.environ.setdefault("NEOKERAS_CONV_LOWERING", "native")
# No neokeras cache directory (stored fit programs, convolution decisions) unless a test sets
# one: the suite's programs go to the JAX cache below, and results must not depend on what
# earlier runs left in ~/.keras.
os.environ.setdefault("NEOKERAS_JAX_CACHE", "0")

import jax  # noqa: E402
import pytest  # noqa: E402

import neokeras  # noqa: E402

# Many tests compile the same small programs; a compilation cache shared by the whole run (and
# by the pytest-xdist workers) compiles each of them once.
jax.config.update("jax_compilation_cache_dir",
                  os.environ.get("NEOKERAS_TEST_JAX_CACHE", "/tmp/neokeras-test-jax-cache"))
jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)


@pytest.fixture(autouse=True)
def _fresh_session():
    # No full garbage collection per test: it cost about 0.13 s of CPU each (minutes over the
    # suite), and Python's own generational collection still runs.
    neokeras.backend.clear_session(free_memory=False)
    # Real Keras (the oracle) keeps its own name counters: reset them too, so an oracle's
    # auto-names ("subtract" vs "subtract_1") do not depend on which tests ran before.
    real_keras = sys.modules.get("keras")
    if real_keras is not None:
        real_keras.backend.clear_session(free_memory=False)
    neokeras.utils.set_random_seed(1234)
    yield


_XLA_CPU_COLLECTIVE_ABORT = "seconds exceeded. Exiting to ensure a consistent program state"


@pytest.fixture(scope="session")
def run_checks_script():
    """Runs a script of checks in a fresh process (its own XLA device flags, e.g. 8 simulated
    devices) and returns `{check name: "ok" or the failure}` from its `RESULTS {...}` line."""

    def run(script):
        env = dict(os.environ)
        env.pop("XLA_FLAGS", None)
        src = pathlib.Path(__file__).parents[1] / "src"
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
        done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                              text=True, timeout=900)
        if _XLA_CPU_COLLECTIVE_ABORT in done.stderr:
            # XLA:CPU's own deadlock of simulated devices (see `backend.jax.distribution.settle`,
            # which keeps neokeras's compiled calls out of it): the checks are deterministic,
            # so one rerun tells this apart from a failure of neokeras.
            sys.stderr.write(f"{pathlib.Path(script).name}: XLA:CPU aborted a collective; "
                             "rerunning once\n")
            done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                                  text=True, timeout=900)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULTS ")]
        assert lines, (f"{pathlib.Path(script).name} failed:\n{done.stdout[-3000:]}\n"
                       f"{done.stderr[-3000:]}")
        return json.loads(lines[-1][len("RESULTS "):])

    return run


def pytest_collection_finish(session):
    # Every full garbage collection (Python's own, and each `clear_session()`) walks all tracked
    # objects, most of them modules of jax, neokeras and the Keras oracle that live for the whole
    # run: about 14% of the CPU time of tests/callbacks. Frozen once the test modules are
    # imported, they are skipped; objects that tests create are collected as before.
    try:
        import keras  # noqa: F401  (the oracle, imported by most test modules sooner or later)
    except ImportError:
        pass
    gc.collect()
    gc.freeze()
