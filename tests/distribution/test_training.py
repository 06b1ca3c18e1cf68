"""`fit`, `evaluate` and `predict` under `keras.distribution` on 8 simulated devices.

The checks live in `eight_devices.py` and run in one subprocess (the rest of the suite keeps
its own devices); each test asserts one check's outcome. One-device training of the same
model from the same seed is the oracle.
"""

import pathlib

import pytest

SCRIPT = pathlib.Path(__file__).with_name("eight_devices.py")
CHECKS = sorted(line.split("(")[0][4:] for line in SCRIPT.read_text().splitlines()
                if line.startswith("def check_"))


@pytest.fixture(scope="module")
def results(run_checks_script):
    return run_checks_script(SCRIPT)


@pytest.mark.parametrize("check", CHECKS)
def test_eight_devices(results, check):
    assert results.get(check) == "ok", results.get(check, "not run")
