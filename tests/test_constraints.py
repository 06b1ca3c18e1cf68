"""Constraints: projections (hand-computed and against Keras 3), names, serialization, and that
they hold after `fit` (the optimizer applies them after each update)."""

import numpy as np
import pytest

import neokeras
from neokeras import constraints
from neokeras import layers

W = np.random.default_rng(0).normal(size=(4, 3)).astype("float32") * 2


def test_hand_computed_projections():
    np.testing.assert_allclose(constraints.NonNeg()(W), np.maximum(W, 0))
    unit = np.asarray(constraints.UnitNorm()(W))
    np.testing.assert_allclose(np.linalg.norm(unit, axis=0), 1.0, rtol=1e-5)
    capped = np.asarray(constraints.MaxNorm(1.5)(W))
    norms = np.linalg.norm(W, axis=0)
    np.testing.assert_allclose(capped, W * np.minimum(norms, 1.5) / norms, rtol=1e-5)
    small = np.full((2, 2), 0.1, "float32")
    np.testing.assert_allclose(constraints.MaxNorm(2.0)(small), small, rtol=1e-5)
    lifted = np.asarray(constraints.MinMaxNorm(min_value=1.0, max_value=2.0)(small))
    np.testing.assert_allclose(np.linalg.norm(lifted, axis=0), 1.0, rtol=1e-5)


@pytest.mark.parametrize("name, kwargs", [
    ("MaxNorm", {"max_value": 1.0}), ("MaxNorm", {"max_value": 2.0, "axis": 1}),
    ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.5, "rate": 0.5}), ("NonNeg", {}),
    ("UnitNorm", {"axis": [0, 1]})])
def test_matches_keras(name, kwargs):
    keras = pytest.importorskip("keras")
    ours = getattr(constraints, name)(**kwargs)
    theirs = getattr(keras.constraints, name)(**kwargs)
    np.testing.assert_allclose(ours(W), np.asarray(theirs(W)), rtol=1e-5, atol=1e-6)
    assert ours.get_config() == theirs.get_config()
    restored = constraints.deserialize(constraints.serialize(ours))
    assert type(restored) is type(ours) and restored.get_config() == ours.get_config()


def test_get_by_name():
    for name, cls in (("max_norm", constraints.MaxNorm), ("min_max_norm", constraints.MinMaxNorm),
                      ("non_neg", constraints.NonNeg), ("unit_norm", constraints.UnitNorm)):
        assert isinstance(constraints.get(name), cls)
    assert constraints.serialize(constraints.NonNeg())["module"] == "keras.constraints"
    with pytest.raises(ValueError, match="Unknown constraint"):
        constraints.get("positive")
    with pytest.raises(ValueError, match="min_value"):
        constraints.MinMaxNorm(min_value=2.0, max_value=1.0)


def test_constraints_hold_after_fit():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = (x @ rng.normal(size=(4, 2)) * 10).astype("float32")  # pushes weights large and negative
    nonneg = layers.Dense(2, kernel_constraint="non_neg")
    capped = layers.Dense(2, kernel_constraint=constraints.MaxNorm(0.5),
                          bias_constraint=constraints.NonNeg())
    model = neokeras.Sequential([neokeras.Input((4,)), nonneg, capped])
    model.compile(optimizer=neokeras.optimizers.SGD(learning_rate=0.1), loss="mse")
    before = np.asarray(nonneg.kernel.value).copy()
    model.fit(x, y, batch_size=8, epochs=3, verbose=0)
    kernel = np.asarray(nonneg.kernel.value)
    assert not np.allclose(kernel, before)
    assert (kernel >= 0).all()
    assert (np.linalg.norm(np.asarray(capped.kernel.value), axis=0) <= 0.5 + 1e-5).all()
    assert (np.asarray(capped.bias.value) >= 0).all()


@pytest.mark.parametrize("index", range(5))
def test_radial_constraint_matches_tf_keras(index):
    from tf_keras_fixtures import load

    case = load()["radial_constraint"][index]
    kernel = np.asarray(case["kernel"], "float32")
    np.testing.assert_array_equal(constraints.RadialConstraint()(kernel), case["output"])
    assert constraints.radial_constraint is constraints.RadialConstraint


def test_radial_constraint_errors_and_serialization():
    radial = constraints.get("radial_constraint")
    assert isinstance(radial, constraints.RadialConstraint)
    assert constraints.serialize(radial) == {"module": "keras.constraints",
                                             "class_name": "RadialConstraint", "config": {},
                                             "registered_name": None}
    assert isinstance(constraints.deserialize({"class_name": "RadialConstraint", "config": {}}),
                      constraints.RadialConstraint)
    with pytest.raises(ValueError, match="must have rank 4. Received weight tensor with shape"):
        radial(np.ones((3, 3, 1), "float32"))
    with pytest.raises(ValueError, match="square"):
        radial(np.ones((3, 2, 2, 1), "float32"))
    layer = layers.Conv2D(2, 3, kernel_constraint="radial_constraint")
    model = neokeras.Sequential([neokeras.Input((5, 5, 1)), layer])
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 5, 5, 1)), np.zeros((4, 3, 3, 2)), epochs=1, verbose=0)
    kernel = np.asarray(layer.kernel.numpy())
    np.testing.assert_array_equal(kernel[0, 0], kernel[0, 2])
    np.testing.assert_array_equal(kernel[0, 0], kernel[2, 1])
