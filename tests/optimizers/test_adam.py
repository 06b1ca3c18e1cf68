"""Adam and AdamW: hand-computed first steps (Keras's bias-corrected step size)."""

import numpy as np
import pytest

import neokeras
from neokeras import optimizers


def _first_step(optimizer, w0, g):
    w = neokeras.backend.Variable(np.array(w0, "float32"), name="w")
    optimizer.apply_gradients([(np.array(g, "float32"), w)])
    return w.numpy()


def test_adam_first_step():
    lr, b1, b2, eps, g = 0.1, 0.9, 0.999, 1e-7, np.array([0.5, -2.0])
    m, v = (1 - b1) * g, (1 - b2) * g ** 2
    alpha = lr * np.sqrt(1 - b2) / (1 - b1)
    expected = 1.0 - alpha * m / (np.sqrt(v) + eps)
    got = _first_step(optimizers.Adam(learning_rate=lr), [1.0, 1.0], g)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    # The first Adam step is ~lr * sign(g), whatever the scale of g.
    np.testing.assert_allclose(got, [0.9, 1.1], rtol=1e-5)


def test_adam_two_steps_by_hand():
    lr, b1, b2, eps = 0.01, 0.8, 0.9, 1e-3
    w = 2.0
    m = v = 0.0
    for t, g in enumerate([1.0, -3.0], start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w -= lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (np.sqrt(v) + eps)
    opt = optimizers.Adam(learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps)
    var = neokeras.backend.Variable(np.array([2.0], "float32"), name="w")
    for g in [1.0, -3.0]:
        opt.apply([np.array([g], "float32")], [var])
    assert float(var.numpy()[0]) == pytest.approx(w, rel=1e-6)
    assert int(opt.iterations.numpy()) == 2


def test_amsgrad_keeps_max_velocity():
    opt = optimizers.Adam(learning_rate=0.1, amsgrad=True)
    w = neokeras.backend.Variable(np.array([1.0], "float32"), name="w")
    opt.apply([np.array([10.0], "float32")], [w])
    opt.apply([np.array([0.0], "float32")], [w])
    velocity, velocity_hat = opt.variables[3].numpy(), opt.variables[4].numpy()
    assert velocity_hat[0] == pytest.approx(0.1, rel=1e-6)  # (1 - b2) * 100 from step 1
    assert velocity[0] < velocity_hat[0]


def test_adamw_decays_before_update():
    lr, wd = 0.1, 0.5
    got = _first_step(optimizers.AdamW(learning_rate=lr, weight_decay=wd), [2.0], [0.5])
    decayed = 2.0 - 2.0 * wd * lr
    adam_step = lr * np.sqrt(0.001) / 0.1 * 0.05 / (np.sqrt(0.00025) + 1e-7)
    np.testing.assert_allclose(got, [decayed - adam_step], rtol=1e-6)


def test_adamw_requires_weight_decay():
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)
    assert optimizers.AdamW().weight_decay == 0.004
