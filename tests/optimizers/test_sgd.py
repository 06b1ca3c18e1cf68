"""SGD: hand-computed steps (plain, momentum, Nesterov, Keras 2 `decay`) and Keras 2 spellings."""

import numpy as np
import pytest

import neokeras
from neokeras import optimizers


def _steps(optimizer, grads, w0=1.0):
    w = neokeras.backend.Variable(np.array([w0], "float32"), name="w")
    out = []
    for g in grads:
        optimizer.apply_gradients([(np.array([g], "float32"), w)])
        out.append(float(w.numpy()[0]))
    return out


def test_plain_sgd_step():
    assert _steps(optimizers.SGD(learning_rate=0.1), [0.5, -1.0]) == pytest.approx(
        [0.95, 1.05], rel=1e-6)


def test_momentum():
    # v1 = -0.05, w1 = 0.95; v2 = 0.9 * -0.05 - 0.05 = -0.095, w2 = 0.855
    assert _steps(optimizers.SGD(learning_rate=0.1, momentum=0.9), [0.5, 0.5]) == pytest.approx(
        [0.95, 0.855], rel=1e-6)


def test_nesterov():
    # w1 = 1 + 0.9 * -0.05 - 0.05 = 0.905; v2 = -0.095, w2 = 0.905 + 0.9 * -0.095 - 0.05
    got = _steps(optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True), [0.5, 0.5])
    assert got == pytest.approx([0.905, 0.905 - 0.0855 - 0.05], rel=1e-6)


def test_keras2_time_based_decay():
    # lr_t = 0.1 / (1 + 0.5 t), t = 0, 1, 2 counted before each update.
    got = _steps(optimizers.SGD(lr=0.1, decay=0.5), [0.5, 0.5, 0.5])
    expected = np.cumsum([-0.5 * 0.1 / (1 + 0.5 * t) for t in range(3)]) + 1.0
    assert got == pytest.approx(expected.tolist(), rel=1e-6)


def test_keras2_constructor_works():
    opt = optimizers.SGD(lr=0.02, decay=1e-6, momentum=0.9, nesterov=True)
    assert float(opt.lr) == pytest.approx(0.02)
    assert opt.learning_rate is opt.lr
    assert opt.get_config()["decay"] == 1e-6
    got = _steps(opt, [1.0])
    assert got == pytest.approx([1.0 - 0.02 * 0.9 - 0.02], rel=1e-6)


def test_defaults():
    opt = optimizers.SGD()
    assert float(opt.learning_rate) == pytest.approx(0.01)
    assert opt.momentum == 0.0 and opt.nesterov is False
    assert opt.name == "sgd"
    assert optimizers.SGD().name == "sgd_1"


def test_bad_momentum():
    with pytest.raises(ValueError, match=r"SGD\(momentum=...\).*Received: -0.1"):
        optimizers.SGD(momentum=-0.1)


def test_keras2_decay_inside_compiled_fit():
    model = neokeras.Sequential([neokeras.layers.Dense(1, use_bias=False, input_shape=(1,),
                                                       kernel_initializer="ones")])
    model.compile(optimizer=optimizers.SGD(lr=0.1, decay=0.5), loss="mse")
    model.fit(np.ones((2, 1), "float32"), np.zeros((2, 1), "float32"), epochs=2, batch_size=2,
              verbose=0)
    # grad of w^2 is 2w: w1 = 1 - 0.1 * 2 = 0.8, w2 = 0.8 - 0.1 / 1.5 * 1.6
    assert float(model.get_weights()[0][0, 0]) == pytest.approx(0.8 - 0.16 / 1.5, rel=1e-6)
