"""Sharded arrays and checkpoint files: whole host copies for writing, one writing process.

In a multi-process job an array may be spread over devices of other processes (not "fully
addressable"); its host copy then needs a collective gather, which every process must join with
the same arrays in the same order.
"""

import jax
import numpy as np


def is_writer():
    """Whether this process writes files for the job (process 0; the only one without
    `keras.distribution.initialize`)."""
    return jax.process_index() == 0


def wait_for_writer(name):
    """Returns once every process got here (in a multi-process job): after a save, so that no
    process reads a file before process 0 finished writing it."""
    if jax.process_count() > 1:
        from jax.experimental import multihost_utils

        multihost_utils.sync_global_devices(name)


def gather_remote(values):
    """`{index: whole numpy copy}` of the arrays in `values` (a list) that are split over
    devices of other processes, gathered in one collective call: in a multi-process job every
    process must call this with the same list. Replicated arrays are read locally; empty in a
    single-process job."""
    remote = [i for i, v in enumerate(values) if isinstance(v, jax.Array)
              and not v.is_fully_addressable and not v.is_fully_replicated]
    if not remote:
        return {}
    from jax.experimental import multihost_utils

    gathered = multihost_utils.process_allgather([values[i] for i in remote], tiled=True)
    return {i: np.asarray(array) for i, array in zip(remote, gathered)}


def is_sharded(value):
    """Whether `value` is an array placed on several devices (with a layout to keep)."""
    return isinstance(value, jax.Array) and len(value.sharding.device_set) > 1


def restore_target(shape, dtype, like=None):
    """The abstract array an Orbax restore fills: placed like `like` (the current value of
    the variable it will be assigned to) when the shapes match, else on this process's first
    device, never on the devices recorded in the checkpoint (another topology may have
    written it)."""
    if isinstance(like, jax.Array) and tuple(like.shape) == tuple(shape):
        sharding = like.sharding
    else:
        sharding = jax.sharding.SingleDeviceSharding(jax.local_devices()[0])
    return jax.ShapeDtypeStruct(tuple(shape), dtype, sharding=sharding)
