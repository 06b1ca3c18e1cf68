"""`fit`, `evaluate` and `predict` under `keras.distribution` on 8 simulated devices.

The checks live in `eight_devices.py` and run in one subprocess (the rest of the suite keeps
its own devices); each test asserts one check's outcome. One-device training of the same
model from the same seed is the oracle.
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

SCRIPT = pathlib.Path(__file__).with_name("eight_devices.py")
CHECKS = sorted(line.split("(")[0][4:] for line in SCRIPT.read_text().splitlines()
                if line.startswith("def check_"))


@pytest.fixture(scope="module")
def results():
    env = dict(os.environ)
    env.pop("XLA_FLAGS", None)
    src = pathlib.Path(__file__).parents[2] / "src"
    env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True,
                          text=True, timeout=900)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULTS ")]
    assert lines, f"the 8-device script failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(lines[-1][len("RESULTS "):])


@pytest.mark.parametrize("check", CHECKS)
def test_eight_devices(results, check):
    assert results.get(check) == "ok", results.get(check, "not run")
