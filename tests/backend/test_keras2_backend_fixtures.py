"""Keras 2 `K` functions against tf-keras 2.21's outputs on the same inputs.

The fixtures (tests/backend/data/keras2_backend.*) are made by
tools/gen_keras2_backend_fixtures.py in an environment with TensorFlow; the table of cases is
there. Functions referred to by name (fold/step functions) are defined here the same way.
"""

import json
import pathlib

import numpy as np
import pytest

from neokeras import backend as K

DATA = pathlib.Path(__file__).parent / "data"
TABLE = json.loads((DATA / "keras2_backend.json").read_text())["cases"]
ARRAYS = np.load(DATA / "keras2_backend.npz")

NAMED = {
    "add": lambda acc, x: acc + x,
    "acc_times_2_plus_x": lambda acc, x: acc * 2.0 + x,
    "square": lambda x: x * x,
}
# Looser where TensorFlow and XLA legitimately round differently (CTC log-space sums).
TOLERANCE = {"ctc_batch_cost": 1e-4, "ctc_decode": 1e-4, "resize_images": 1e-5}


def decode(value):
    if isinstance(value, dict) and "array" in value:
        return ARRAYS[value["array"]]
    if isinstance(value, dict) and "list" in value:
        return [decode(v) for v in value["list"]]
    if isinstance(value, dict) and "tuple" in value:
        return tuple(decode(v) for v in value["tuple"])
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def run(fn, args, kwargs):
    if fn in ("foldl", "foldr"):
        return getattr(K, fn)(NAMED[args[0]], *args[1:])
    if fn == "map_fn":
        return K.map_fn(NAMED[args[0]], args[1])
    if fn == "rnn":
        kwargs = dict(kwargs)
        w, u = kwargs.pop("w"), kwargs.pop("u")

        def step(x, states):
            h = K.tanh(K.dot(x, w) + K.dot(states[0], u))
            return h, [h]

        return K.rnn(step, args[1], args[2], **kwargs)
    if fn in ("count_params", "dtype"):
        args = [K.variable(args[0])]
    return getattr(K, fn)(*args, **kwargs)


def flat(out):
    if isinstance(out, (list, tuple)):
        return [o for item in out for o in flat(item)]
    return [out]


# K functions built on ops that are still being added to neokeras.ops run once those exist.
_NEEDS_OPS = {"ctc_batch_cost": "ctc_loss", "ctc_decode": "ctc_decode", "in_top_k": "in_top_k",
              "resize_images": "image"}


@pytest.mark.parametrize("case", TABLE, ids=[c["name"] for c in TABLE])
def test_matches_tf_keras(case):
    from neokeras import ops

    needed = _NEEDS_OPS.get(case["fn"])
    if case["fn"] == "resize_images" and case["kwargs"].get("interpolation", "nearest") == "nearest":
        needed = None  # nearest-neighbour resizing is a repeat, no image op
    if needed and not (hasattr(ops, needed) and hasattr(K, case["fn"])):
        pytest.skip(f"needs neokeras.ops.{needed}")
    args = [decode(a) for a in case["args"]]
    kwargs = {k: decode(v) for k, v in case["kwargs"].items()}
    outputs = flat(run(case["fn"], args, kwargs))
    assert len(outputs) == case["outputs"]
    tol = TOLERANCE.get(case["fn"], 2e-6)
    for j, out in enumerate(outputs):
        expected = ARRAYS[f"{case['name']}/out{j}"]
        if expected.dtype.kind == "U":
            assert out == str(expected)
            continue
        out = np.asarray(out)
        assert out.shape == expected.shape, f"output {j}"
        if expected.dtype.kind in "biu":
            np.testing.assert_array_equal(out, expected)
        else:
            np.testing.assert_allclose(out, expected, rtol=tol, atol=tol * 10, err_msg=f"output {j}")
