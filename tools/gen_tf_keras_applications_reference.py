"""Writes the tf-keras 2.21 fingerprints of the RegNet and ResNet-RS applications.

Keras 3 dropped these models, so the oracle is tf-keras (with TensorFlow; neither is a
dependency of neokeras, the tests only read what this script writes). Run once:

    /path/to/tf-venv/bin/python tools/gen_tf_keras_applications_reference.py

It writes `tests/data/applications/tf_keras_structures.json`: for each case (a constructor and
`weights=None` arguments) the parameter count and digests of the layer names, classes, output
shapes and weight shapes in model order (the order legacy `.h5` files are loaded in), the
constructor signatures, and for the small cases the predictions on `golden_input()` after
`set_golden_weights()`. `TFOpLambda` layers (tf-keras's wrappers of `x + y` and `tf.math.*` on
symbolic tensors) carry no weights and are left out: Keras 3 and neokeras record such
operations as graph operations, not layers. It also writes
`tests/data/applications/regnetx002_tf_keras.weights.h5.xz`, the legacy `save_weights` file of
the first RegNetX002 case (compressed; the golden weights take few distinct values).
"""

import hashlib
import inspect
import json
import lzma
import os
import pathlib
import sys
import tempfile

import numpy as np

DATA = pathlib.Path(__file__).resolve().parents[1] / "tests/data/applications"
OUT = DATA / "tf_keras_structures.json"
H5_OUT = DATA / "regnetx002_tf_keras.weights.h5.xz"

REGNETS = [f"RegNet{kind}{flops}" for kind in "XY"
           for flops in ("002", "004", "006", "008", "016", "032", "040", "064", "080", "120",
                         "160", "320")]
RESNET_RS = [f"ResNetRS{depth}" for depth in (50, 101, 152, 200, 270, 350, 420)]
CONSTRUCTORS = REGNETS + RESNET_RS
MODULE_OF = {**{name: "regnet" for name in REGNETS}, **{name: "resnet_rs" for name in RESNET_RS}}

S32 = {"input_shape": [32, 32, 3]}
# (constructor, arguments, in the default test run, with golden predictions). The full-size
# default build of every constructor follows these.
SMALL_CASES = [
    ("RegNetX002", {**S32, "classes": 7}, True, True),
    ("RegNetY002", {**S32, "classes": 7}, True, True),
    ("ResNetRS50", {**S32, "classes": 7, "classifier_activation": None}, True, True),
    ("RegNetX004", {**S32, "include_top": False, "pooling": "max",
                    "include_preprocessing": False}, True, False),
    ("RegNetY004", {**S32, "include_top": False, "pooling": "avg"}, True, False),
    ("ResNetRS101", {**S32, "include_top": False, "include_preprocessing": False}, False, False),
    ("ResNetRS50", {**S32, "include_top": False, "pooling": "max"}, False, False),
    ("ResNetRS50", {"input_shape": [48, 40, 1], "classes": 3}, False, False),
]


def digest(values):
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:16]


def fingerprint(rows, params, output_shape, full=False):
    """What must match between a tf-keras and a neokeras build of one case.

    `rows` holds `[name, class name, output shape, weight shapes]` per layer, in model order,
    without input layers and tf-keras's TFOpLambda layers.
    """
    names = [r[0] for r in rows]
    record = {"params": int(params), "num_layers": len(rows),
              "layer_names": digest(names), "layer_classes": digest([r[1] for r in rows]),
              "output_shapes": digest([r[2] for r in rows]),
              "weight_shapes": digest([r[3] for r in rows]),
              "first_layers": names[:3], "last_layers": names[-3:],
              "output_shape": list(output_shape)}
    if full:
        record["layers"] = rows
    return record


def golden_values(shape, index):
    """Deterministic weights with few distinct values: He-scaled {-1, 0, 1} for kernels, and
    {0.75, 1, 1.25} for vectors (positive, so batch-norm variances stay valid)."""
    size = int(np.prod(shape))
    h = (np.arange(size, dtype=np.uint64) * np.uint64(2654435761)
         + np.uint64(97531 * (index + 1))) % np.uint64(2 ** 32)
    h = (h ^ (h >> np.uint64(13))) * np.uint64(1274126177) % np.uint64(2 ** 32)
    t = (h >> np.uint64(7)) % np.uint64(3)
    t = t.astype(np.float32).reshape(shape)
    if len(shape) > 1:
        fan_in = int(np.prod(shape[:-1]))
        return ((t - 1.0) * np.float32(np.sqrt(3.0 / fan_in))).astype(np.float32)
    return (0.75 + 0.25 * t).astype(np.float32)


def set_golden_weights(model, skip=("InputLayer", "TFOpLambda")):
    """Assigns `golden_values` to every weight, layer by layer in model order."""
    index = 0
    for layer in model.layers:
        if type(layer).__name__ in skip or not layer.weights:
            continue
        values = []
        for w in layer.weights:
            values.append(golden_values(tuple(int(d) for d in w.shape), index))
            index += 1
        layer.set_weights(values)


def golden_input(shape, batch=2):
    """Deterministic images with values in [0, 255]."""
    size = batch * int(np.prod(shape))
    i = np.arange(size, dtype=np.int64)
    return ((i * i * 7 + i * 13) % 256).astype(np.float32).reshape((batch, *shape))


def _tf_keras_rows(model):
    rows = []
    for layer in model.layers:
        cls = type(layer).__name__
        if cls in ("InputLayer", "TFOpLambda"):
            continue
        shape = layer.output_shape
        rows.append([layer.name, cls, list(shape),
                     [[int(d) for d in w.shape] for w in layer.weights]])
    return rows


def _case(keras, constructor, kwargs, default, predict, h5=False):
    keras.backend.clear_session()
    args = {k: tuple(v) if isinstance(v, list) else v for k, v in kwargs.items()}
    model = getattr(keras.applications, constructor)(weights=None, **args)
    record = {"constructor": constructor, "kwargs": kwargs, "default": default,
              "tf_keras": fingerprint(_tf_keras_rows(model), model.count_params(),
                                      model.output_shape, full=default)}
    if predict:
        set_golden_weights(model)
        x = golden_input(tuple(kwargs["input_shape"]))
        record["predictions"] = np.asarray(model(x, training=False)).tolist()
        if h5:
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "weights.h5")
                model.save_weights(path)
                H5_OUT.write_bytes(lzma.compress(pathlib.Path(path).read_bytes(), preset=9))
    print(constructor, kwargs, record["tf_keras"]["params"], file=sys.stderr, flush=True)
    return record


def main():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tf_keras as keras

    signatures = {}
    for module in ("regnet", "resnet_rs"):
        mod = getattr(keras.applications, module)
        for name in ("preprocess_input", "decode_predictions"):
            signatures[f"{module}.{name}"] = str(inspect.signature(getattr(mod, name)))
    for name in CONSTRUCTORS:
        signatures[name] = str(inspect.signature(getattr(keras.applications, name)))
    cases = [_case(keras, c, k, d, p, h5=i == 0) for i, (c, k, d, p) in enumerate(SMALL_CASES)]
    for name in CONSTRUCTORS:
        cases.append(_case(keras, name, {}, False, False))
    OUT.write_text(json.dumps({"tf_keras_version": keras.__version__,
                               "signatures": signatures, "cases": cases}) + "\n")


if __name__ == "__main__":
    main()
