"""The tf-keras 2.21 oracle of the premade-model tests: `tests/data/experimental/
tf_keras_premade.json`, written by `tools/gen_tf_keras_premade_reference.py` (data, starting
weights, fit histories, final weights, predictions and configs)."""

import importlib.util
import json
import pathlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "tests/data/experimental/tf_keras_premade.json").read_text())

_spec = importlib.util.spec_from_file_location(
    "gen_tf_keras_premade_reference", ROOT / "tools/gen_tf_keras_premade_reference.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)
DATA = gen.data()


def flat(weights):
    return np.concatenate([np.ravel(w) for w in weights])


def reference_flat(case_weights):
    return np.asarray([v for _, values in case_weights for v in values], dtype="float32")
