"""RMSprop: hand-computed steps, plain, centered and with momentum."""

import numpy as np
import pytest

import neokeras
from neokeras import optimizers


def _run(optimizer, grads, w0=1.0):
    w = neokeras.backend.Variable(np.array([w0], "float32"), name="w")
    for g in grads:
        optimizer.apply([np.array([g], "float32")], [w])
    return float(w.numpy()[0])


def test_first_step():
    # ms = 0.1 * 0.25; w -= 0.01 * 0.5 / sqrt(ms + eps)
    expected = 1.0 - 0.005 / np.sqrt(0.025 + 1e-7)
    assert _run(optimizers.RMSprop(learning_rate=0.01), [0.5]) == pytest.approx(expected, rel=1e-6)


def test_centered_subtracts_mean_gradient():
    # mean gradient 0.05: denominator 0.025 - 0.0025 + eps
    expected = 1.0 - 0.005 / np.sqrt(0.0225 + 1e-7)
    got = _run(optimizers.RMSprop(learning_rate=0.01, centered=True), [0.5])
    assert got == pytest.approx(expected, rel=1e-6)


def test_momentum_two_steps():
    inc1 = 0.005 / np.sqrt(0.025 + 1e-7)
    inc2 = 0.005 / np.sqrt(0.9 * 0.025 + 0.025 + 1e-7)
    expected = 1.0 - inc1 - (0.9 * inc1 + inc2)
    got = _run(optimizers.RMSprop(learning_rate=0.01, momentum=0.9), [0.5, 0.5])
    assert got == pytest.approx(expected, rel=1e-6)


def test_slots_follow_options():
    opt = optimizers.RMSprop(momentum=0.5, centered=True)
    opt.build([neokeras.backend.Variable(np.zeros(2, "float32"), name="w")])
    assert [v.name for v in opt.variables] == [
        "iteration", "learning_rate", "w_velocity", "w_momentum", "w_average_gradient"]
    plain = optimizers.RMSprop()
    plain.build([neokeras.backend.Variable(np.zeros(2, "float32"), name="w")])
    assert [v.name for v in plain.variables] == ["iteration", "learning_rate", "w_velocity"]
