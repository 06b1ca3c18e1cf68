"""Generates tests/data/tf_keras_names.json: tf-keras 2.21's behaviour for the tf-keras-only
names neokeras implements (RadialConstraint, MeanRelativeError, MeanTensor, BaseLogger,
model_from_config, SharpnessAwareMinimization, StepsPerExecutionTuner), the oracle of the
tests that read it.

Run with a Python that has TensorFlow and tf-keras 2.21 (the test suite does not need them):

    /tmp/tfenv/bin/python tools/gen_tf_keras_names_fixtures.py
"""

import json
import os
import pathlib

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "data" / "tf_keras_names.json"
rng = np.random.default_rng(0)


def arr(x):
    return np.asarray(x).tolist()


def radial():
    constraint = keras.constraints.RadialConstraint()
    cases = []
    for size in (2, 3, 4, 5, 6):
        kernel = np.arange(size * size * 2 * 3, dtype="float32").reshape(size, size, 2, 3)
        cases.append({"kernel": arr(kernel), "output": arr(constraint(tf.constant(kernel)))})
    return cases


MRE_CASES = [
    ([1, 3, 2, 3], [([1, 3, 2, 3], [2, 4, 6, 8], None)]),
    ([[1.0], [2.0], [0.0]], [([[1.0], [2.0], [3.0]], [[2.0], [5.0], [1.0]], None),
                             ([[0.5], [1.0], [2.0]], [[1.0], [1.0], [1.0]], [1.0, 2.0, 0.5])]),
    ([[1.0, 2.0], [4.0, 0.5]], [([[1.0, 2.0], [3.0, 4.0]], [[1.5, 2.5], [2.0, 4.5]],
                                 [[1.0, 0.0], [0.5, 2.0]])]),
]


def mean_relative_error():
    cases = []
    for normalizer, updates in MRE_CASES:
        metric = keras.metrics.MeanRelativeError(normalizer=normalizer)
        results = []
        for y_true, y_pred, weight in updates:
            metric.update_state(y_true, y_pred, sample_weight=weight)
            results.append(float(metric.result()))
        config = metric.get_config()
        config["normalizer"] = arr(config["normalizer"])
        cases.append({"normalizer": normalizer, "updates": updates, "results": results,
                      "config": config})
    return cases


MEAN_TENSOR_CASES = [
    (None, [([0, 1, 2, 3], None), ([4, 5, 6, 7], None), ([12, 10, 8, 6], [0, 0.2, 0.5, 1])]),
    ((1, 4), [([[0, 1, 2, 3]], None), ([[4, 5, 6, 7]], None)]),
    (None, [([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [1.0, 3.0]),
            ([[2.0, 2.0, 2.0], [0.0, 1.0, 0.0]], [[0.5], [0.0]]),
            ([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], [[1.0, 0.0, 2.0], [1.0, 1.0, 1.0]])]),
]


def mean_tensor():
    cases = []
    for shape, updates in MEAN_TENSOR_CASES:
        metric = keras.metrics.MeanTensor(shape=shape)
        results = []
        for values, weight in updates:
            metric.update_state(values, sample_weight=weight)
            results.append(arr(metric.result()))
        cases.append({"shape": shape, "updates": updates, "results": results,
                      "config": metric.get_config()})
    return cases


def base_logger():
    logger = keras.callbacks.BaseLogger(stateful_metrics=["acc"])
    batches = [{"size": 4, "loss": 1.0, "acc": 0.5, "mae": 2.0},
               {"size": 2, "loss": 4.0, "acc": 0.7, "num_steps": 2, "mae": 1.0}]
    logger.set_params({"metrics": ["loss", "acc", "val_loss"]})
    logger.on_epoch_begin(0)
    for i, logs in enumerate(batches):
        logger.on_batch_end(i, dict(logs))
    logs = {"val_loss": 9.0}
    logger.on_epoch_end(0, logs)
    return {"batches": batches, "metrics": ["loss", "acc", "val_loss"], "epoch_logs": logs,
            "seen": logger.seen}


def _models():
    sequential = keras.Sequential([keras.layers.Dense(4, activation="relu", input_shape=(3,),
                                                      name="hidden"),
                                   keras.layers.Dropout(0.2, name="drop"),
                                   keras.layers.Dense(2, activation="softmax", name="out")],
                                  name="seq")
    inputs = keras.Input((3,), name="x")
    hidden = keras.layers.Dense(5, activation="tanh", name="h")(inputs)
    merged = keras.layers.Concatenate(name="cat")([hidden, inputs])
    functional = keras.Model(inputs, keras.layers.Dense(1, name="y")(merged), name="func")
    return {"sequential": sequential, "functional": functional}


def model_from_config():
    x = rng.normal(size=(4, 3)).astype("float32")
    cases = {}
    for name, model in _models().items():
        config = keras.utils.legacy.serialize_keras_object(model)
        cases[name] = {"config": json.loads(json.dumps(config, default=arr)),
                       "weights": [arr(w) for w in model.get_weights()], "x": arr(x),
                       "y": arr(model.predict(x, verbose=0))}
    return cases


def sharpness_aware_minimization():
    from tf_keras.src.models.sharpness_aware_minimization import SharpnessAwareMinimization

    x = rng.normal(size=(16, 3)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    weight = rng.uniform(0.5, 1.5, size=(16,)).astype("float32")
    cases = []
    for kwargs, use_weight in (({}, False), ({"rho": 0.2, "num_batch_splits": 2}, True)):
        inner = keras.Sequential([keras.layers.Dense(4, activation="tanh", input_shape=(3,)),
                                  keras.layers.Dense(2)])
        initial = [w.copy() for w in inner.get_weights()]
        model = SharpnessAwareMinimization(inner, **kwargs)
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
        history = model.fit(x, y, sample_weight=weight if use_weight else None, batch_size=4,
                            epochs=2, shuffle=False, verbose=0)
        cases.append({"kwargs": kwargs, "sample_weight": use_weight,
                      "initial": [arr(w) for w in initial],
                      "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
                      "final": [arr(w) for w in inner.get_weights()]})
    return {"x": arr(x), "y": arr(y), "sample_weight": arr(weight), "cases": cases}


# (iterations the optimizer has reached, seconds elapsed) at each measurement of the tuner.
TUNER_MEASUREMENTS = [(0, 1.0), (10, 2.0), (30, 3.0), (60, 4.0), (100, 5.0), (100, 6.0),
                      (160, 7.0), (230, 8.0), (250, 9.0), (260, 10.0), (262, 11.0), (300, 12.0),
                      (400, 13.0), (401, 14.0)]


def steps_per_execution_tuner():
    from tf_keras.src.utils import steps_per_execution_tuning as tuning

    class FakeOptimizer:
        iterations = tf.Variable(0, dtype="int64")

    clock = {"now": 0.0}
    tuning.time.time = lambda: clock["now"]
    cases = []
    for kwargs in ({"change_spe_interval": 2}, {"change_spe_interval": 3,
                                                 "change_threshold": 0.3}):
        optimizer = FakeOptimizer()
        optimizer.iterations.assign(0)
        spe = tf.Variable(4, dtype="int64")
        tuner = tuning.StepsPerExecutionTuner(optimizer, spe, **kwargs)
        tuner._begin_tuning()
        values = []
        for iterations, now in TUNER_MEASUREMENTS:
            optimizer.iterations.assign(iterations)
            clock["now"] = now
            tuner._measure_and_tune()
            values.append(int(spe.numpy()))
        cases.append({"kwargs": kwargs, "spe": values})
    return {"measurements": TUNER_MEASUREMENTS, "initial": 4, "cases": cases}


def main():
    fixtures = {"tf_keras_version": keras.__version__, "radial_constraint": radial(),
                "mean_relative_error": mean_relative_error(), "mean_tensor": mean_tensor(),
                "base_logger": base_logger(), "model_from_config": model_from_config(),
                "sharpness_aware_minimization": sharpness_aware_minimization(),
                "steps_per_execution_tuner": steps_per_execution_tuner()}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixtures, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
