"""One process of the two-process data-parallel job of `test_multi_process.py`.

Usage: `two_processes.py PROCESS_ID PORT WORKDIR`. Each process has two simulated CPU devices;
`keras.distribution.initialize` joins them into one job of four devices over a localhost
coordinator (CPU collectives). Both processes load the same initial weights, then train with
`DataParallel` (and then with a fully sharded `ModelParallel(fsdp=True)`), each feeding its own
half of every global batch, and save checkpoints and `BackupAndRestore` backups (process 0
writes). What each process saw goes
to `WORKDIR/result_<id>.json`.
"""

import os
import sys

if __name__ == "__main__":  # the test imports this module for `make_model` and `local_rows`
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
    os.environ["JAX_PLATFORMS"] = "cpu"
    os.environ["KERAS_BACKEND"] = "jax"
    os.environ["NEOKERAS_JAX_CACHE"] = "0"  # two processes compiling at once: no shared cache

import json  # noqa: E402
import random  # noqa: E402
import traceback  # noqa: E402

import numpy as np  # noqa: E402

import neokeras as keras  # noqa: E402

PROCESSES = 2
LOCAL_BATCH = 4  # rows each process feeds per step; the global batch has 8
EPOCHS = 2


def make_model():
    """The model of the test (the test builds the same one on one device)."""
    model = keras.Sequential([keras.Input((6,)),
                              keras.layers.Dense(8, activation="tanh", name="hidden"),
                              keras.layers.Dense(2, name="out")])
    model.compile(keras.optimizers.SGD(0.1, momentum=0.5), "mse", metrics=["mae"])
    return model


def local_rows(num_rows, process_id):
    """The rows of the global data this process feeds: its half of every global batch."""
    rows = np.arange(num_rows).reshape(-1, PROCESSES, LOCAL_BATCH)
    return rows[:, process_id].reshape(-1)


def train(distribution, data, workdir, tag):
    keras.distribution.set_distribution(distribution)
    model = make_model()
    model.load_weights(os.path.join(workdir, "initial.weights.h5"))
    backup = keras.callbacks.BackupAndRestore(os.path.join(workdir, f"{tag}_backup"),
                                              delete_checkpoint=False)
    history = model.fit(*data, batch_size=LOCAL_BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                        callbacks=[backup])
    scores = model.evaluate(*data, batch_size=LOCAL_BATCH, verbose=0, return_dict=True)
    predictions = model.predict(data[0], batch_size=LOCAL_BATCH, verbose=0)  # of its own rows
    model.save_weights(os.path.join(workdir, f"{tag}.weights.h5"))
    model.save(os.path.join(workdir, f"{tag}.keras"))
    model.save(os.path.join(workdir, f"{tag}.h5"))
    kernel = model.get_layer("hidden").kernel._value
    keras.distribution.set_distribution(None)
    return {"history": history.history, "evaluate": scores, "predict": predictions.tolist(),
            "kernel_axes": list(kernel.sharding.spec) + [None] * (kernel.ndim - len(
                kernel.sharding.spec)),
            "kernel_fully_addressable": bool(kernel.is_fully_addressable)}


def main(process_id, port, workdir):
    keras.distribution.initialize(f"localhost:{port}", num_processes=PROCESSES,
                                  process_id=process_id)
    result = {"random": random.random(),  # the same in both processes (an agreed seed)
              "devices": keras.distribution.get_device_count(),
              "processes": keras.distribution.DataParallel().num_processes}
    with np.load(os.path.join(workdir, "data.npz")) as f:
        rows = local_rows(len(f["x"]), process_id)
        data = (f["x"][rows], f["y"][rows])
    result["data_parallel"] = train(keras.distribution.DataParallel(), data, workdir, "dp")
    result["fsdp"] = train(keras.distribution.ModelParallel(fsdp=True, fsdp_min_size=8), data,
                           workdir, "fsdp")
    with open(os.path.join(workdir, f"result_{process_id}.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        # Exit now: JAX's shutdown at exit would wait minutes for the other process, which is
        # blocked in a collective this one will never join (the test then stops it).
        os._exit(1)
