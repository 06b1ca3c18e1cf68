"""`DataParallel`, `ModelParallel`, the current distribution, `distribute_tensor` and variables
created under a distribution, on the suite's 2 simulated devices (oracle: real Keras 3.15.1
where it has the same behaviour). Training on 8 devices: `test_training.py`."""

import jax
import numpy as np
import pytest

import neokeras as keras
from neokeras import distribution as dist


def test_current_distribution_and_scope():
    assert dist.distribution() is None
    data_parallel = dist.DataParallel()
    with data_parallel.scope():
        assert dist.distribution() is data_parallel
        inner = dist.DataParallel(devices=["cpu:1"])
        with inner.scope():
            assert dist.distribution() is inner
        assert dist.distribution() is data_parallel
    assert dist.distribution() is None
    dist.set_distribution(data_parallel)
    assert dist.distribution() is data_parallel
    keras.backend.clear_session()  # as in Keras, clears the distribution
    assert dist.distribution() is None
    with pytest.raises(ValueError, match="expected a Distribution"):
        dist.set_distribution("data_parallel")


def test_data_parallel_matches_keras():
    keras3 = pytest.importorskip("keras")
    for module in (dist, keras3.distribution):
        default = module.DataParallel()
        assert default.batch_dim_name == "batch" and default.num_model_replicas == 2
        assert tuple(default.device_mesh.shape) == (2,)
        mesh = module.DeviceMesh((2,), ["data"], module.list_devices())
        assert module.DataParallel(device_mesh=mesh).batch_dim_name == "data"
        assert module.DataParallel(devices=module.list_devices()[:1]).num_model_replicas == 1
        assert default.get_data_layout((8, 3)).axes == ("batch", None)
        with pytest.raises(ValueError):
            module.DataParallel(device_mesh="mesh")


def test_data_parallel_on_a_2d_mesh_warns():
    # Keras 3.15.1 means to warn too, but its warnings.warn call raises a TypeError.
    grid = dist.DeviceMesh((1, 2), ["data", "model"])
    with pytest.warns(UserWarning, match="1-D mesh"):
        data_parallel = dist.DataParallel(device_mesh=grid)
    assert data_parallel.batch_dim_name == "data"


def test_model_parallel_matches_keras():
    keras3 = pytest.importorskip("keras")
    results = []
    for module in (dist, keras3.distribution):
        mesh = module.DeviceMesh((1, 2), ["batch", "model"], module.list_devices())
        layout_map = module.LayoutMap(mesh)
        layout_map[".*kernel"] = (None, "model")
        mp = module.ModelParallel(layout_map=layout_map)
        with pytest.raises(ValueError):
            module.ModelParallel()
        with pytest.raises(ValueError):
            module.ModelParallel(layout_map={".*": (None,)})
        other = module.ModelParallel(layout_map=layout_map, batch_dim_name="model")
        results.append((mp.batch_dim_name, mp.num_model_replicas, other.num_model_replicas,
                         mp.get_data_layout((4, 2)).axes, mp.get_tensor_layout("d/kernel").axes,
                         mp.get_tensor_layout("d/bias")))
    assert results[0] == results[1]


def test_variables_are_created_in_their_layout():
    mesh = dist.DeviceMesh((2,), ["model"])
    layout_map = dist.LayoutMap(mesh)
    layout_map[".*kernel"] = (None, "model")
    with dist.ModelParallel(layout_map=layout_map).scope():
        layer = keras.layers.Dense(4, name="d")
        layer.build((None, 3))
        variable = keras.Variable(np.ones((2, 6)), layout=("model", None), name="own")
    assert layer.kernel.value.sharding.spec == jax.sharding.PartitionSpec(None, "model")
    assert {s.data.shape for s in layer.kernel.value.addressable_shards} == {(3, 2)}
    assert layer.bias.value.sharding.is_fully_replicated
    assert variable.value.sharding.spec[0] == "model"
    # Assigning keeps the layout.
    layer.kernel.assign(np.zeros((3, 4)))
    assert layer.kernel.value.sharding.spec == jax.sharding.PartitionSpec(None, "model")
    np.testing.assert_array_equal(layer.kernel.numpy(), np.zeros((3, 4)))
    # Outside any distribution, variables stay on the default device.
    plain = keras.layers.Dense(2)
    plain.build((None, 3))
    assert plain.kernel._layout is None
    assert plain.kernel.value.sharding.device_set == {jax.devices()[0]}


def test_fsdp_layout():
    mp = dist.ModelParallel(fsdp=True, fsdp_min_size=8)
    assert mp.fsdp and mp.batch_dim_name == "batch" and mp.num_model_replicas == 2
    layout = mp._layout_for
    assert layout("a", (3, 6)).axes == (None, "batch")  # the largest dimension that divides
    assert layout("b", (8, 4)).axes == ("batch", None)
    assert layout("c", (3, 3)).axes == (None, None)  # nothing divides: replicated
    assert layout("d", (6,)).axes == (None,)  # below fsdp_min_size
    # With a layout map on a 2-D mesh: mapped variables keep their layout, the others split
    # over the batch axis.
    mesh = dist.DeviceMesh((2, 1), ["batch", "model"])
    layout_map = dist.LayoutMap(mesh)
    layout_map[".*kernel"] = (None, "model")
    combined = dist.ModelParallel(layout_map=layout_map, fsdp=True, fsdp_min_size=8)
    assert combined._layout_for("d/kernel", (4, 6)).axes == (None, "model")
    assert combined._layout_for("d/embeddings", (4, 6)).axes == (None, "batch")
    with pytest.raises(ValueError, match="fsdp_min_size"):
        dist.ModelParallel(fsdp=True, fsdp_min_size=-1)


def test_distribute_tensor():
    keras3 = pytest.importorskip("keras")
    mesh = dist.DeviceMesh((2,), ["batch"])
    layout = dist.TensorLayout(("batch", None), mesh)
    x = np.arange(8.0, dtype="float32").reshape(4, 2)
    placed = dist.distribute_tensor(x, layout)
    assert placed.sharding == layout.backend_layout
    np.testing.assert_array_equal(np.asarray(placed), x)
    assert dist.distribute_tensor(placed, layout) is placed
    # Inside a compiled function: a sharding constraint.
    doubled = jax.jit(lambda a: dist.distribute_tensor(a * 2, layout))(x)
    assert doubled.sharding.is_equivalent_to(layout.backend_layout, 2)
    symbolic = keras.KerasTensor((None, 2))
    assert dist.distribute_tensor(symbolic, layout) is symbolic
    k_mesh = keras3.distribution.DeviceMesh((2,), ["batch"], keras3.distribution.list_devices())
    k_layout = keras3.distribution.TensorLayout(("batch", None), k_mesh)
    expected = keras3.distribution.distribute_tensor(x, k_layout)
    assert expected.sharding.spec == placed.sharding.spec
