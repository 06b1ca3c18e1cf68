"""Checkpoints of sharded variables (saving/sharded.py, backend/jax/sharded_io.py).

In-process tests use the two CPU devices the test session has; the checks of
`sharded_eight_devices.py` (models trained and loaded under `keras.distribution` on 8 simulated
devices) run in one subprocess, each test asserting one check's outcome. The oracle is the
trained model's own values and the distribution's layouts.
"""

import pathlib

import jax
import numpy as np
import pytest

import neokeras as keras
from neokeras.backend.jax import sharded_io
from neokeras.saving import sharded

SCRIPT = pathlib.Path(__file__).with_name("sharded_eight_devices.py")
CHECKS = sorted(line.split("(")[0][4:] for line in SCRIPT.read_text().splitlines()
                if line.startswith("def check_"))


def _split_over_two_devices(value, axes):
    mesh = jax.sharding.Mesh(np.array(jax.devices()[:2]), ("model",))
    sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec(*axes))
    return jax.device_put(np.asarray(value), sharding)


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, name="d")])
    model.compile("adam", "mse")
    return model


def test_saving_gathers_and_loading_keeps_the_split(tmp_path):
    model = _model()
    kernel = model.get_layer("d").kernel
    kernel._value = _split_over_two_devices(kernel.numpy(), (None, "model"))
    expected = kernel.numpy()
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    kernel._value = _split_over_two_devices(np.zeros((3, 4), "float32"), (None, "model"))
    model.load_weights(path)
    np.testing.assert_array_equal(kernel.numpy(), expected)
    assert kernel.value.sharding.spec == jax.sharding.PartitionSpec(None, "model")
    assert {s.data.shape for s in kernel.value.addressable_shards} == {(3, 2)}


def test_assign_of_an_unsharded_variable_is_unchanged():
    variable = keras.Variable(np.zeros((2, 2), "float32"))
    sharded.assign(variable, np.ones((2, 2)))
    np.testing.assert_array_equal(variable.numpy(), np.ones((2, 2)))
    assert variable.dtype == "float32"
    assert len(variable.value.sharding.device_set) == 1


def test_one_process_writes_and_gathers_nothing():
    model = _model()
    with sharded.gathered(sharded.model_variables(model)) as writer:
        assert writer is True
        kernel = model.get_layer("d").kernel
        np.testing.assert_array_equal(sharded.host_value(kernel), kernel.numpy())
    assert sharded_io.gather_remote([kernel.value]) == {}


def test_model_variables_lists_weights_and_optimizer_state_once():
    model = _model()
    model.optimizer.build(model.trainable_variables)
    found = sharded.model_variables(model)
    assert len(found) == len({id(v) for v in found})
    ids = {id(v) for v in found}
    assert all(id(v) in ids for v in model.weights + model.optimizer.variables)


@pytest.fixture(scope="module")
def results(run_checks_script):
    return run_checks_script(SCRIPT)


@pytest.mark.parametrize("check", CHECKS)
def test_eight_devices(results, check):
    assert results.get(check) == "ok", results.get(check, "not run")
