"""keras.utils.StepsPerExecutionTuner (tf-keras 2.21) against tf-keras's recorded decisions."""

import time

import numpy as np
import pytest

import neokeras
from neokeras.utils import steps_per_execution_tuning as tuning
from tf_keras_fixtures import load


class _Optimizer:
    def __init__(self):
        self.iterations = neokeras.Variable(0, dtype="int32", trainable=False)


@pytest.mark.parametrize("index", range(2))
def test_decisions_match_tf_keras(index, monkeypatch):
    data = load()["steps_per_execution_tuner"]
    case = data["cases"][index]
    clock = {"now": 0.0}
    monkeypatch.setattr(tuning.time, "time", lambda: clock["now"])
    optimizer = _Optimizer()
    spe = neokeras.Variable(data["initial"], dtype="int32", trainable=False)
    tuner = neokeras.utils.StepsPerExecutionTuner(optimizer, spe, **case["kwargs"])
    tuner._begin_tuning()
    values = []
    for iterations, now in data["measurements"]:
        optimizer.iterations.assign(iterations)
        clock["now"] = now
        tuner._measure_and_tune()
        values.append(int(spe.numpy()))
    assert values == case["spe"]


def test_thread_starts_measures_and_stops():
    optimizer = _Optimizer()
    spe = neokeras.Variable(2, dtype="int32", trainable=False)
    tuner = neokeras.utils.StepsPerExecutionTuner(optimizer, spe, interval=0.01)
    thread = tuner.start()
    assert tuner.start() is thread and thread.daemon
    deadline = time.time() + 5
    while tuner.spe_measurement_count < 3 and time.time() < deadline:
        time.sleep(0.01)
    tuner.stop()
    thread.join(5)
    assert not thread.is_alive() and tuner.spe_measurement_count >= 3
    tuner.steps_per_execution = 7
    assert int(np.asarray(spe.numpy())) == 7 and tuner.init_spe == 7
