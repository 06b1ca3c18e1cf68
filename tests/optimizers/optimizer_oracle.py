"""Test helpers: run a neokeras optimizer and a real Keras 3 one on the same gradients."""

import os

import numpy as np

import neokeras

INITIAL = [np.linspace(-1.0, 1.5, 6, dtype="float32").reshape(2, 3),
           np.array([0.5, -0.25, 2.0], dtype="float32")]


def gradient_sequence(steps=5):
    """Deterministic gradients of varied sign and size for the two test variables."""
    sequence = []
    for t in range(steps):
        a = np.sin(np.arange(6, dtype="float32") * 0.7 + t).reshape(2, 3) * (1 + t)
        b = np.cos(np.arange(3, dtype="float32") * 1.3 - 0.5 * t) * 0.3
        sequence.append([a.astype("float32"), b.astype("float32")])
    return sequence


def neokeras_variables():
    return [neokeras.backend.Variable(v.copy(), name=name, path=name)
            for v, name in zip(INITIAL, ("a", "b"))]


def run_neokeras(optimizer, grads=None, stateless=False):
    """Trajectory of the variables' values after each step."""
    grads = grads or gradient_sequence()
    variables = neokeras_variables()
    trajectory = []
    if stateless:
        optimizer.build(variables)
        values = [v.value for v in variables]
        state = [v.value for v in optimizer.variables]
        for g in grads:
            values, state = optimizer.stateless_apply(state, g, values)
            trajectory.append([np.asarray(v) for v in values])
        return trajectory
    for g in grads:
        optimizer.apply_gradients(zip(g, variables))
        trajectory.append([v.numpy().copy() for v in variables])
    return trajectory


def keras_module():
    os.environ["KERAS_BACKEND"] = "jax"
    import pytest

    return pytest.importorskip("keras")


def run_keras(make_optimizer, grads=None):
    keras = keras_module()
    grads = grads or gradient_sequence()
    variables = [keras.Variable(v.copy(), name=name) for v, name in zip(INITIAL, ("a", "b"))]
    optimizer = make_optimizer(keras)
    trajectory = []
    for g in grads:
        optimizer.apply_gradients(zip(g, variables))
        trajectory.append([np.asarray(v.numpy()).copy() for v in variables])
    return trajectory


def assert_trajectories_close(ours, theirs, rtol=1e-6, atol=1e-7):
    assert len(ours) == len(theirs)
    for step, (mine, ref) in enumerate(zip(ours, theirs)):
        for i, (x, y) in enumerate(zip(mine, ref)):
            np.testing.assert_allclose(x, y, rtol=rtol, atol=atol,
                                       err_msg=f"step {step + 1}, variable {i}")
