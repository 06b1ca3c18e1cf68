"""`predict`, `model(x)` and `evaluate` in a two-process job: each process passes its own rows
and gets back the outputs of exactly those rows (the global batch is split over both
processes' devices), equal to a one-device forward pass. Run as a script, this file is one
process of the job: `test_multi_process_predict.py PROCESS_ID PORT OUT`."""

import json
import os
import socket
import subprocess
import sys

if __name__ == "__main__":
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
    os.environ["JAX_PLATFORMS"] = "cpu"
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ["NEOKERAS_JAX_CACHE"] = "0"

import numpy as np  # noqa: E402

import neokeras as keras  # noqa: E402

ROWS = 16  # per process


def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(2 * ROWS, 6)).astype("float32"), rng.normal(size=(2 * ROWS, 2))


def make_model():
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, "tanh", name="h"),
                              keras.layers.Dense(2, name="o")])
    model.compile("sgd", "mse", metrics=["mae"])
    return model


def worker(process_id, port, out):
    keras.distribution.initialize(f"localhost:{port}", num_processes=2, process_id=process_id)
    x, y = data()
    rows = slice(process_id * ROWS, (process_id + 1) * ROWS)
    with keras.distribution.DataParallel().scope():
        model = make_model()
        result = {"predict": model.predict(x[rows], batch_size=8, verbose=0).tolist(),
                  "predict_6": model.predict(x[rows][:6], verbose=0).tolist(),
                  "call": np.asarray(model(x[rows][:4])).tolist(),
                  "evaluate": model.evaluate(x[rows], y[rows], batch_size=8, verbose=0,
                                             return_dict=True)}
    with open(out, "w") as f:
        json.dump(result, f)


def _free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def test_each_process_gets_its_own_rows(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("XLA_FLAGS", None)
    port = _free_port()
    outs = [tmp_path / f"out_{i}.json" for i in range(2)]
    procs = [subprocess.Popen([sys.executable, __file__, str(i), str(port), str(outs[i])],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True) for i in range(2)]
    logs = []
    for proc in procs:
        try:
            logs.append(proc.communicate(timeout=300)[0])
        except subprocess.TimeoutExpired:
            proc.kill()
            logs.append(proc.communicate()[0])
    assert all(p.returncode == 0 for p in procs), "\n".join(log[-3000:] for log in logs)
    x, y = data()
    model = make_model()
    expected = model.predict(x, verbose=0)
    scores = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    for i, out in enumerate(outs):
        result = json.loads(out.read_text())
        mine = expected[i * ROWS:(i + 1) * ROWS]
        np.testing.assert_allclose(result["predict"], mine, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(result["predict_6"], mine[:6], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(result["call"], mine[:4], rtol=1e-5, atol=1e-6)
        # The global batch of step k is both processes' k-th local batches: the metrics are
        # those of all 32 rows.
        for name, value in scores.items():
            np.testing.assert_allclose(result["evaluate"][name], value, rtol=1e-5)


if __name__ == "__main__":
    worker(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
