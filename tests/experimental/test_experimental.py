"""`keras.experimental` (tf-keras 2 only) holds the premade models and the cosine schedules;
tf-keras exports the same schedule classes as `keras.optimizers.schedules`."""

import math

import numpy as np
import pytest

import neokeras as keras


def test_schedules_are_the_optimizer_schedules_as_in_tf_keras():
    assert keras.experimental.CosineDecay is keras.optimizers.schedules.CosineDecay
    assert keras.experimental.CosineDecayRestarts is \
        keras.optimizers.schedules.CosineDecayRestarts


@pytest.mark.parametrize("step", [0, 3, 10, 15])
def test_cosine_decay_values(step):
    schedule = keras.experimental.CosineDecay(0.1, decay_steps=10, alpha=0.2)
    cosine = 0.5 * (1 + math.cos(math.pi * min(step, 10) / 10))
    np.testing.assert_allclose(float(schedule(step)), 0.1 * ((1 - 0.2) * cosine + 0.2),
                               rtol=1e-6)


def test_cosine_decay_restarts_restarts_with_longer_periods():
    schedule = keras.experimental.CosineDecayRestarts(0.1, first_decay_steps=4, t_mul=2.0,
                                                      m_mul=0.5)
    # Periods of 4 then 8 steps; the second starts at half the rate.
    np.testing.assert_allclose([float(schedule(s)) for s in (0, 2, 4, 8)],
                               [0.1, 0.05, 0.05, 0.5 * 0.05], rtol=1e-6)


def test_premade_models_are_exported():
    from neokeras import premade_models

    assert keras.experimental.LinearModel is premade_models.LinearModel
    assert keras.experimental.WideDeepModel is premade_models.WideDeepModel
