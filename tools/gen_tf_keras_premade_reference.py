"""Writes tests/data/experimental/tf_keras_premade.json from tf-keras 2.21 (the test oracle).

`keras.experimental.LinearModel` and `WideDeepModel` exist only in tf-keras. For fixed data and
starting weights this records their weights (order and shapes), `fit` histories, predictions and
configs. Run with tf-keras and TensorFlow (not dependencies of neokeras):

    /path/to/tf-venv/bin/python tools/gen_tf_keras_premade_reference.py
"""

import json
import os
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests/data/experimental/tf_keras_premade.json"


def data():
    """Deterministic inputs (a: 3 features, b: 2 features, d: 4 features) and targets."""
    i = np.arange(12, dtype=np.float32)[:, None]
    a = np.sin(i * np.array([[0.7, 1.3, 2.1]], np.float32)).astype(np.float32)
    b = np.cos(i * np.array([[0.4, 0.9]], np.float32)).astype(np.float32)
    d = np.tanh(i / 6.0 - np.array([[1.0, 0.5, 0.0, -0.5]], np.float32)).astype(np.float32)
    y = (a @ np.array([[1.0], [-2.0], [0.5]], np.float32) + b[:, :1] * 0.3
         + d[:, 1:2] ** 2).astype(np.float32)
    return {"a": a, "b": b, "d": d, "y": y}


def dnn_weights():
    """Starting weights of the DNN `Dense(4, relu) -> Dense(1)` on 4 features."""
    k1 = (np.arange(16, dtype=np.float32).reshape(4, 4) % 5 - 2.0) * 0.3
    k2 = np.array([[0.5], [-0.4], [0.3], [0.6]], np.float32)
    return [k1, np.full(4, 0.1, np.float32), k2, np.zeros(1, np.float32)]


def _weights(model):
    return [[w.name.split(":")[0], [float(v) for v in np.ravel(w.numpy())]]
            for w in model.weights]


def main():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tf_keras as keras

    D = data()
    out = {"tf_keras_version": keras.__version__}

    def linear_case(name, x, **kwargs):
        keras.backend.clear_session()
        model = keras.experimental.LinearModel(**kwargs)
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        history = model.fit(x, D["y"], batch_size=4, epochs=3, shuffle=False, verbose=0)
        out[name] = {"kwargs": kwargs, "loss": history.history["loss"], "weights": _weights(model),
                     "predictions": model.predict(x, verbose=0).tolist(),
                     "config": model.get_config()}

    linear_case("linear_dict", {"b": D["b"], "a": D["a"]})
    linear_case("linear_list", [D["a"], D["b"]], units=1, activation="tanh")
    linear_case("linear_single", D["a"], use_bias=False, kernel_initializer="ones")

    def wide_deep_case(name, optimizer, activation=None):
        keras.backend.clear_session()
        linear = keras.experimental.LinearModel()
        dnn = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
        dnn.build((None, 4))
        dnn.set_weights(dnn_weights())
        model = keras.experimental.WideDeepModel(linear, dnn, activation=activation)
        model.compile(optimizer=optimizer, loss="mse", metrics=["mae"])
        x = [D["a"], D["d"]]
        history = model.fit(x, D["y"], batch_size=4, epochs=3, shuffle=False, verbose=0)
        config = model.get_config()
        out[name] = {"history": history.history, "linear_weights": _weights(linear),
                     "dnn_weights": _weights(dnn),
                     "predictions": model.predict(x, verbose=0).tolist(),
                     "config_keys": sorted(config), "activation": config["activation"]}

    wide_deep_case("wide_deep_two_optimizers",
                   [keras.optimizers.SGD(0.05), keras.optimizers.Adam(0.01)])
    wide_deep_case("wide_deep_one_optimizer", keras.optimizers.SGD(0.05), activation="sigmoid")
    OUT.write_text(json.dumps(out, indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()
