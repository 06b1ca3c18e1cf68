"""`keras.distribution` on JAX: device meshes become `jax.sharding.Mesh`, tensor layouts
`NamedSharding`, and placing a value means handing each device only its own shard.

The public classes (`neokeras.distribution`) hold names and shapes; this module is the only place
that turns them into JAX objects. Values computed on the host (initial weights, batches) go
straight to their shards (`place`, `distribute_data`): nothing is first put whole on one device.
"""

import jax
import numpy as np

from neokeras import config
from neokeras.backend.jax.core import convert_to_tensor
from neokeras.backend.jax.core import standardize_dtype


def list_devices(device_type=None):
    """The global devices of `device_type` (default: accelerators if any, else CPUs) as
    `"platform:id"` strings."""
    devices = jax.devices(device_type.lower() if device_type else None)
    return [f"{d.platform}:{d.id}" for d in devices]


def get_device_count(device_type=None):
    """The number of global devices of `device_type` (see `list_devices`)."""
    return jax.device_count(device_type.lower() if device_type else None)


def num_processes():
    return jax.process_count()


def process_id():
    return jax.process_index()


def to_device(name):
    """A `jax.Device` from `"cpu:3"`, `"gpu"` (device 0) or a `jax.Device`."""
    if isinstance(name, jax.Device):
        return name
    kind, _, index = str(name).lower().partition(":")
    try:
        index = int(index or 0)
        candidates = jax.devices(kind)
    except (RuntimeError, ValueError) as e:
        raise ValueError(f"Unknown device {name!r}. Available: {list_devices()}.") from e
    for device in candidates:
        if device.id == index:
            return device
    raise ValueError(f"Unknown device {name!r}. Available: {list_devices(kind)}.")


def to_mesh(devices, axis_names):
    """A `jax.sharding.Mesh` of the device names in the array `devices` (shape = mesh shape)."""
    devices = np.asarray(devices, dtype=object)
    physical = np.array([to_device(d) for d in devices.flat], dtype=object).reshape(devices.shape)
    return jax.sharding.Mesh(physical, tuple(axis_names))


def to_sharding(mesh, axes):
    """`NamedSharding(mesh, PartitionSpec(*axes))`."""
    return jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec(*axes))


def batch_sharding(mesh, batch_axis, leading=0):
    """The sharding of arrays split on dimension `leading` over `batch_axis`."""
    return to_sharding(mesh, (None,) * leading + (batch_axis,))


def is_sharding(x):
    return isinstance(x, jax.sharding.Sharding)


def distribute_tensor(x, sharding):
    """`x` with `sharding`: a constraint inside a traced function, a transfer otherwise (none
    when `x` already has an equivalent sharding)."""
    if isinstance(x, jax.core.Tracer):
        return jax.lax.with_sharding_constraint(x, sharding)
    return place(x, None, sharding)


def place(value, dtype, sharding):
    """A concrete value as a global array with `sharding`. Host data is sliced on the host and
    each device receives only its shard, so a sharded variable is never whole on one device
    (and every process may call this with the same host value)."""
    if isinstance(value, jax.core.Tracer):
        return convert_to_tensor(value, dtype)
    if isinstance(value, jax.Array):
        value = convert_to_tensor(value, dtype)
        if value.sharding.is_equivalent_to(sharding, value.ndim):
            return value
        if value.is_fully_addressable:
            return jax.device_put(value, sharding)
        return jax.jit(lambda v: v, out_shardings=sharding)(value)
    host = np.asarray(value)
    if dtype is not None:
        host = host.astype(standardize_dtype(dtype), copy=False)
    elif host.dtype == np.float64:
        host = host.astype(config.floatx())
    elif host.dtype == np.int64:
        host = host.astype("int32")
    return jax.make_array_from_callback(host.shape, sharding, lambda index: host[index])


def distribute_data(local, sharding):
    """One process's part of a batch (numpy) as the global array with `sharding`: with several
    processes, the global batch is the concatenation of every process's part along the sharded
    dimension."""
    return jax.make_array_from_process_local_data(sharding, np.asarray(local))


def settle(outputs, mesh):
    """`outputs` of a program run over `mesh`, waited for when the mesh is several CPU devices.

    XLA:CPU runs each device's part of a program on a thread of one pool, which has only as many
    threads as devices when the machine has fewer cores than devices (simulated devices), and a
    part waiting in a collective holds its thread. A second such program dispatched before the
    first finished can take threads the first still needs: both wait, and XLA aborts the process
    after 40 s ("Termination timeout for all reduce"). Plain `jax.jit` loops hit it within
    seconds on 2 cores with 8 devices; one multi-device CPU program at a time cannot."""
    if mesh.devices.size > 1 and mesh.devices.flat[0].platform == "cpu":
        jax.block_until_ready(outputs)
    return outputs


def replicated(mesh):
    return jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())


def local_rows(x, sharding):
    """This process's rows of `x` (a global array split, or to be split, on its first
    dimension as `sharding` says); `x` itself when this process holds all of it."""
    if not isinstance(x, jax.Array) or x.is_fully_addressable or x.is_fully_replicated:
        return x
    from jax.experimental import multihost_utils

    x = distribute_tensor(x, sharding) if x.ndim else x
    return multihost_utils.global_array_to_host_local_array(x, sharding.mesh, sharding.spec)
