"""`DeviceMesh`, `TensorLayout`, `list_devices`, `get_device_count` (oracle: real Keras 3.15.1,
on the suite's 2 simulated CPU devices)."""

import jax
import numpy as np
import pytest

from neokeras import distribution as dist

MESH_CASES = [((2,), ["batch"]), ((1, 2), ["batch", "model"]), ((2, 1), ["batch", "model"]),
              ((), []), ((2,), ["batch", "model"]), ((4,), ["batch"]), ((3,), ["batch"])]


def _outcome(module, shape, names):
    try:
        mesh = module.DeviceMesh(shape, names, module.list_devices()[:2])
    except ValueError:
        return "ValueError"
    return tuple(mesh.shape), tuple(mesh.axis_names), mesh.devices.shape


@pytest.mark.parametrize("shape,names", MESH_CASES)
def test_device_mesh_matches_keras(shape, names):
    keras = pytest.importorskip("keras")
    assert _outcome(dist, shape, names) == _outcome(keras.distribution, shape, names)


def test_devices_match_keras():
    keras = pytest.importorskip("keras")
    assert dist.list_devices() == keras.distribution.list_devices()
    assert dist.list_devices("cpu") == keras.distribution.list_devices("CPU")
    assert dist.get_device_count() == keras.distribution.get_device_count() == jax.device_count()


def test_backend_mesh_and_sharding():
    mesh = dist.DeviceMesh((1, 2), ["batch", "model"])
    assert isinstance(mesh.backend_mesh, jax.sharding.Mesh)
    assert dict(mesh.backend_mesh.shape) == {"batch": 1, "model": 2}
    layout = dist.TensorLayout((None, "model"), mesh)
    sharding = layout.backend_layout
    assert sharding == jax.sharding.NamedSharding(mesh.backend_mesh,
                                                  jax.sharding.PartitionSpec(None, "model"))
    # Devices may be given as jax devices or names, in any order.
    reversed_mesh = dist.DeviceMesh((2,), ["batch"], list(reversed(jax.devices())))
    assert list(reversed_mesh.backend_mesh.devices) == list(reversed(jax.devices()))


def test_tensor_layout_validation():
    mesh = dist.DeviceMesh((2,), ["batch"])
    with pytest.raises(ValueError, match="invalid axis names"):
        dist.TensorLayout(("model",), mesh)
    layout = dist.TensorLayout(("batch", None))
    with pytest.raises(ValueError, match="before the device mesh is set"):
        layout.backend_layout
    layout.device_mesh = mesh
    with pytest.raises(ValueError, match="already set"):
        layout.device_mesh = mesh
    with pytest.raises(ValueError, match=r"dimension 0 \(size 3\).*'batch' \(2 devices\)"):
        layout.check_shape((3, 4), "Variable 'v'")


def test_layout_over_several_mesh_axes():
    mesh = dist.DeviceMesh((1, 2), ["batch", "model"])
    layout = dist.TensorLayout((("batch", "model"), None), mesh)
    assert mesh.axis_size(("batch", "model")) == 2
    layout.check_shape((4, 3), "Variable 'v'")
    with pytest.raises(ValueError, match=r"dimension 0 \(size 3\).*2 devices"):
        layout.check_shape((3, 3), "Variable 'v'")
    placed = dist.distribute_tensor(np.ones((4, 3), "float32"), layout)
    assert {s.data.shape for s in placed.addressable_shards} == {(2, 3)}
    with pytest.raises(ValueError, match="2 dimensions, the layout 1"):
        dist.TensorLayout(("batch",), mesh).check_shape((4, 3), "Variable 'v'")


def test_tensor_layout_matches_keras():
    keras = pytest.importorskip("keras")
    for module in (dist, keras.distribution):
        mesh = module.DeviceMesh((2,), ["batch"], module.list_devices()[:2])
        layout = module.TensorLayout(["batch", None], mesh)
        assert layout.axes == ("batch", None)
        assert layout.device_mesh is mesh
        with pytest.raises(ValueError):
            module.TensorLayout(("nope",), mesh)
    assert np.asarray(dist.DeviceMesh((2,), ["b"]).devices).tolist() == ["cpu:0", "cpu:1"]
