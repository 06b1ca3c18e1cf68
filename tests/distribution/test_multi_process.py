"""Two local processes (`keras.distribution.initialize` with a localhost coordinator, CPU
collectives) train data-parallel, each feeding half of every global batch, and end with the
weights, optimizer state, losses and metrics of one process training on the combined batches.
The job also trains fully sharded (`ModelParallel(fsdp=True)`: variables split across the two
processes) and saves `.weights.h5`, `.keras` and legacy `.h5` checkpoints and `BackupAndRestore`
backups (gathered, written by process 0), which load here on one device. The worker is
`two_processes.py`."""

import json
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

import neokeras as keras
import two_processes as worker
from neokeras.callbacks.backup_and_restore import read_backup

TIMEOUT_S = 480  # both processes together; a hang fails the test instead of blocking the suite


def _free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def _run_job(workdir):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("XLA_FLAGS", None)
    port = _free_port()
    logs = [open(os.path.join(workdir, f"log_{i}.txt"), "w+") for i in range(worker.PROCESSES)]
    procs = [subprocess.Popen([sys.executable, worker.__file__, str(i), str(port), workdir],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
             for i, log in enumerate(logs)]
    deadline = time.monotonic() + TIMEOUT_S
    try:
        # Until both finish; a failed process leaves the other waiting in a collective, so
        # the job stops at the first failure.
        while time.monotonic() < deadline:
            codes = [proc.poll() for proc in procs]
            if all(code is not None for code in codes) or any(codes):
                break
            time.sleep(0.2)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    tails = []
    for i, log in enumerate(logs):
        log.seek(0)
        tails.append(f"--- process {i} (exit {procs[i].returncode}):\n{log.read()[-3000:]}")
        log.close()
    if any(proc.returncode != 0 for proc in procs):
        pytest.fail(f"the two-process job failed or hung (limit {TIMEOUT_S}s; a process still "
                    "running is killed):\n" + "\n".join(tails))
    results = []
    for i in range(worker.PROCESSES):
        with open(os.path.join(workdir, f"result_{i}.json")) as f:
            results.append(json.load(f))
    return results


def _reference(workdir):
    """The data, and the one-process model trained on the combined batches (global batch `i`
    is process 0's rows then process 1's) with its history and evaluation."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 6)).astype("float32")
    y = rng.normal(size=(24, 2)).astype("float32")
    np.savez(os.path.join(workdir, "data.npz"), x=x, y=y)
    keras.utils.set_random_seed(3)
    model = worker.make_model()
    model.save_weights(os.path.join(workdir, "initial.weights.h5"))
    global_batch = worker.PROCESSES * worker.LOCAL_BATCH
    history = model.fit(x, y, batch_size=global_batch, epochs=worker.EPOCHS, shuffle=False,
                        verbose=0)
    scores = model.evaluate(x, y, batch_size=global_batch, verbose=0, return_dict=True)
    return x, model, history.history, scores


def _close(actual, expected, what):
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6, err_msg=what)


def test_local_rows_interleave_into_the_global_batches():
    rows = [worker.local_rows(16, i) for i in range(2)]
    np.testing.assert_array_equal(rows[0], [0, 1, 2, 3, 8, 9, 10, 11])
    np.testing.assert_array_equal(rows[1], [4, 5, 6, 7, 12, 13, 14, 15])


def test_two_processes_train_and_save_like_one(tmp_path):
    # One test for the whole job, so that a parallel test run starts it once.
    workdir = str(tmp_path)
    x, reference, history, scores = _reference(workdir)
    results = _run_job(workdir)

    # One job: four devices, one agreed random seed.
    assert [r["devices"] for r in results] == [4, 4]
    assert [r["processes"] for r in results] == [2, 2]
    assert results[0]["random"] == results[1]["random"]

    # Data-parallel variables are replicated; FSDP splits them across the two processes.
    for result in results:
        assert result["data_parallel"]["kernel_axes"] == [None, None]
        assert result["fsdp"]["kernel_axes"] == [None, "batch"]
        assert result["fsdp"]["kernel_fully_addressable"] is False

    # Losses and metrics are those of the global batches, in both processes.
    for process, result in enumerate(results):
        for tag in ("data_parallel", "fsdp"):
            for name, values in history.items():
                _close(result[tag]["history"][name], values, f"process {process} {tag} {name}")
            for name, value in scores.items():
                _close(result[tag]["evaluate"][name], value,
                       f"process {process} {tag} evaluate {name}")

    # `predict` gives each process the predictions of its own rows.
    for process, result in enumerate(results):
        rows = worker.local_rows(len(x), process)
        for tag in ("data_parallel", "fsdp"):
            _close(result[tag]["predict"], reference.predict(x[rows], verbose=0),
                   f"process {process} {tag} predict")

    # The checkpoints (written by process 0) load on one device with the reference weights,
    # optimizer state and predictions.
    expected = reference.predict(x, verbose=0)
    for tag in ("dp", "fsdp"):
        model = worker.make_model()
        model.load_weights(os.path.join(workdir, f"{tag}.weights.h5"))
        for ours, theirs in zip(model.weights, reference.weights):
            _close(ours.numpy(), theirs.numpy(), f"{tag}.weights.h5 {ours.path}")
        backup = os.path.join(workdir, f"{tag}_backup", "training_state.npz")
        variables = model.trainable_variables + model.non_trainable_variables
        values, epoch, _ = read_backup(backup, variables + model.optimizer.variables, "")
        assert epoch == worker.EPOCHS
        for value, theirs in zip(values, reference.weights):
            _close(value, theirs.numpy(), f"{tag} backup")
        for kind in ("keras", "h5"):
            model = keras.saving.load_model(os.path.join(workdir, f"{tag}.{kind}"))
            ours_all = model.weights + model.optimizer.variables
            theirs_all = reference.weights + reference.optimizer.variables
            assert len(ours_all) == len(theirs_all), f"{tag}.{kind}"
            for ours, theirs in zip(ours_all, theirs_all):
                _close(ours.numpy(), theirs.numpy(), f"{tag}.{kind} {ours.path}")
            _close(model.predict(x, verbose=0), expected, f"{tag}.{kind} predictions")
