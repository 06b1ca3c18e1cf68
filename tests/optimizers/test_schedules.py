"""Learning-rate schedules: hand-computed values, argument checks, use inside compiled fit."""

import math

import numpy as np
import pytest

import neokeras
from neokeras import optimizers
from neokeras.optimizers import schedules


def _values(schedule, steps):
    return [float(schedule(np.int32(s))) for s in steps]


def test_exponential_decay():
    s = schedules.ExponentialDecay(0.1, decay_steps=4, decay_rate=0.5)
    assert _values(s, [0, 2, 4, 8]) == pytest.approx([0.1, 0.1 * 0.5 ** 0.5, 0.05, 0.025])
    stair = schedules.ExponentialDecay(0.1, decay_steps=4, decay_rate=0.5, staircase=True)
    assert _values(stair, [3, 4, 7]) == pytest.approx([0.1, 0.05, 0.05])


def test_piecewise_constant_boundaries_are_inclusive_on_the_left_piece():
    s = schedules.PiecewiseConstantDecay([2, 5], [1.0, 0.5, 0.1])
    assert _values(s, [0, 2, 3, 5, 6, 100]) == pytest.approx([1.0, 1.0, 0.5, 0.5, 0.1, 0.1])
    with pytest.raises(ValueError, match="one more entry"):
        schedules.PiecewiseConstantDecay([1, 2], [1.0, 0.5])


def test_polynomial_decay_with_and_without_cycle():
    s = schedules.PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.2, power=2.0)
    assert _values(s, [0, 2, 4, 10]) == pytest.approx([1.0, 0.8 * 0.25 + 0.2, 0.2, 0.2])
    cyc = schedules.PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.0, cycle=True)
    # step 6: decay_steps stretched to 8 -> 1 - 6/8
    assert _values(cyc, [0, 4, 6]) == pytest.approx([1.0, 0.0, 0.25])


def test_inverse_time_decay():
    s = schedules.InverseTimeDecay(1.0, decay_steps=2, decay_rate=0.5)
    assert _values(s, [0, 2, 3]) == pytest.approx([1.0, 1 / 1.5, 1 / 1.75])


def test_cosine_decay_with_warmup():
    s = schedules.CosineDecay(0.0, decay_steps=4, warmup_target=1.0, warmup_steps=2, alpha=0.1)
    expected = [0.0, 0.5, 1.0, 0.9 * 0.5 * (1 + math.cos(math.pi / 4)) + 0.1, 0.55, 0.1, 0.1]
    assert _values(s, [0, 1, 2, 3, 4, 6, 50]) == pytest.approx(expected, abs=1e-6)
    plain = schedules.CosineDecay(2.0, decay_steps=10)
    assert _values(plain, [0, 5, 10, 20]) == pytest.approx([2.0, 1.0, 0.0, 0.0], abs=1e-6)


def test_cosine_decay_restarts():
    s = schedules.CosineDecayRestarts(1.0, first_decay_steps=2, t_mul=2.0, m_mul=0.5)
    # periods [0, 2), [2, 6), [6, 14): restart values 1, 0.5, 0.25
    assert _values(s, [0, 1, 2, 4, 6]) == pytest.approx([1.0, 0.5, 0.5, 0.25, 0.25], abs=1e-6)


@pytest.mark.parametrize("cls, kwargs", [
    (schedules.ExponentialDecay, {"decay_rate": 0.5}),
    (schedules.PolynomialDecay, {}),
    (schedules.InverseTimeDecay, {"decay_rate": 0.5}),
    (schedules.CosineDecay, {}),
])
def test_decay_steps_must_be_positive(cls, kwargs):
    with pytest.raises(ValueError, match=rf"{cls.__name__}\(decay_steps=...\) must be > 0"):
        cls(0.1, 0, **kwargs)


def test_serialization_round_trip():
    s = schedules.CosineDecayRestarts(0.1, 3, t_mul=1.5, alpha=0.01)
    data = schedules.serialize(s)
    assert data["module"] == "keras.optimizers.schedules"
    assert data["class_name"] == "CosineDecayRestarts"
    restored = schedules.deserialize(data)
    assert restored.get_config() == s.get_config()
    assert _values(restored, [0, 4, 7]) == pytest.approx(_values(s, [0, 4, 7]))


def test_schedule_is_evaluated_per_step_inside_compiled_fit():
    x = np.ones((4, 1), "float32")
    y = np.zeros((4, 1), "float32")
    model = neokeras.Sequential([neokeras.layers.Dense(1, use_bias=False, input_shape=(1,),
                                                       kernel_initializer="ones")])
    schedule = schedules.PiecewiseConstantDecay([1], [0.25, 0.0])
    model.compile(optimizer=optimizers.SGD(learning_rate=schedule), loss="mse")
    model.fit(x, y, epochs=3, batch_size=4, verbose=0)
    # Step 0 and 1 use 0.25 (step <= 1), later steps 0: w = 1 - 0.25*2 -> 0.5 - 0.25*1 = 0.25.
    assert float(model.get_weights()[0][0, 0]) == pytest.approx(0.25)
