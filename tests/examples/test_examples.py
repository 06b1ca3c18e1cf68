"""The programs in examples/ run and do what they print (shortened training)."""

import importlib.util
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_keras2_classic_program_learns_iris_and_reloads_h5():
    accuracy, same = _load("keras2_classic").main(epochs=40)
    assert accuracy >= 0.85
    assert same


def test_keras3_functional_program_learns_and_reloads_keras_archive():
    accuracy, same = _load("keras3_functional").main(epochs=20)
    assert accuracy >= 0.85
    assert same
