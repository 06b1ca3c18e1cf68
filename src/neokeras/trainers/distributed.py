"""`fit`, `evaluate` and `predict` under a `keras.distribution`.

The compiled chunk stays one program; under a distribution it becomes an SPMD program over the
mesh: the state keeps each variable's layout (a sharding constraint on the new state), and each
step's batch is split along the mesh's batch axis. Batches are gathered on the host and sent as
global arrays, each device receiving only its rows (with several processes, each process sends
its own rows: the global batch is their concatenation). Losses and metrics are computed on the
global batch, so they are the same as on one device.
"""

import functools
from typing import NamedTuple

import numpy as np

from neokeras import backend
from neokeras.trainers.data_adapters.chunk import Chunk
from neokeras.utils import tree


def current():
    """The current distribution, or None."""
    return _distribution_getter()()


@functools.cache
def _distribution_getter():
    # Imported on first use (import time), then looked up once: `predict` asks on every call.
    from neokeras.distribution import distribution

    return distribution


def _lib():
    return backend.impl.distribution


class Plan(NamedTuple):
    """What the compiled chunk constrains (hashable: it is a static argument)."""

    state: tuple  # per state group, the sharding of each value
    batch: object  # the sharding of a step's batch arrays (split on the first dimension), or
    # None to leave it to the compiler


def plan(distribution, state_variables):
    """The `Plan` of a run under `distribution` over the variable groups of a state: a
    variable keeps its own layout; one created outside the distribution is replicated."""
    lib = _lib()
    mesh = distribution.device_mesh.backend_mesh
    replicated = lib.replicated(mesh)

    def sharding(variable):
        layout = getattr(variable, "_layout", None)
        if layout is None:
            return replicated
        return getattr(layout, "backend_layout", layout)

    state = tuple(tuple(sharding(v) for v in group) for group in state_variables)
    return Plan(state, lib.batch_sharding(mesh, distribution.batch_dim_name))


def check_rows(rows, distribution, caller, full_rows=None):
    """Whether a batch of `rows` samples (one process's share) is split over the mesh's batch
    axis. A batch size that does not divide evenly over its devices is a ValueError; the smaller
    last batch of an epoch (`rows < full_rows`) that does not is, in a one-process job, not split
    but computed whole by every device (same result), and an error with several processes."""
    devices = distribution.num_model_replicas
    processes = distribution.num_processes
    per_process = devices // processes if devices % processes == 0 else devices
    if not per_process or rows % per_process == 0:
        return True
    where = f" of this process's {per_process}" if processes > 1 else ""
    axis = f"the {devices} devices{where} of the mesh axis {distribution.batch_dim_name!r}"
    if full_rows is not None and rows < full_rows:
        if processes == 1:
            return False
        raise ValueError(
            f"{caller}: the last batch holds the {rows} samples left after the full batches "
            f"of {full_rows}; they cannot be split evenly over {axis}, and this model's steps "
            "cannot be padded (run_eagerly, a custom step or a stateful layer). Give each "
            "process a number of samples that is a multiple of the batch size.")
    raise ValueError(
        f"{caller}: a batch of {rows} samples cannot be split evenly over {axis}. Use a batch "
        f"size divisible by {per_process}.")


def chunks(chunks_, distribution, caller):
    """The chunks of a data adapter (host data) as chunks of global arrays: step `i` of a chunk
    reads `data[i]`, a batch split over the batch axis (or, for a last batch that does not
    divide, replicated; see `check_rows`)."""
    lib = _lib()
    mesh = distribution.device_mesh.backend_mesh
    stacked = lib.batch_sharding(mesh, distribution.batch_dim_name, leading=1)
    replicated = lib.replicated(mesh)
    full_rows = None
    for chunk in chunks_:
        indices = np.asarray(chunk.indices)
        full_rows = full_rows or indices.shape[1]
        if check_rows(indices.shape[1], distribution, caller, full_rows):
            put = functools.partial(lib.distribute_data, sharding=stacked)
        else:
            put = functools.partial(lib.distribute_tensor, sharding=replicated)
        data = tuple(None if part is None else tree.map_structure(
            lambda a: None if a is None else put(np.asarray(a)[indices]), part)
            for part in chunk.data)
        weights = None if chunk.weights is None else put(np.asarray(chunk.weights))
        yield Chunk(data, np.arange(indices.shape[0], dtype="int32"), weights, chunk.num_steps,
                    chunk.first_step)


def bind(function, plan, distribution):
    """`function` (a compiled chunk function) called with `plan`, or, on a chunk whose batch
    is replicated, with a plan that leaves the batch unconstrained; each call returns once its
    program has run where programs over the mesh must not overlap (see `settle`)."""
    whole = plan._replace(batch=None)
    mesh = distribution.device_mesh.backend_mesh

    def run(values, data, indices, weights, num_steps):
        leaf = next(a for a in tree.flatten(data) if a is not None)
        split = not leaf.sharding.is_fully_replicated
        return _lib().settle(function(values, data, indices, weights, num_steps,
                                      plan=plan if split else whole), mesh)

    return run


def place_inputs(inputs, distribution, caller="predict"):
    """Inference inputs split over the batch axis. With one process, inputs whose rows do not
    divide evenly stay as they are (the program then runs on every device's copy, with the same
    result); with several, each process's inputs are its own rows of the global batch, which
    must divide over its devices."""
    lib = _lib()
    leaves = [a for a in tree.flatten(inputs) if a is not None]
    rows = {np.shape(a)[0] if np.ndim(a) else None for a in leaves}
    sharding = lib.batch_sharding(distribution.device_mesh.backend_mesh,
                                  distribution.batch_dim_name)
    if distribution.num_processes > 1:
        if len(rows) != 1 or None in rows:
            raise ValueError(f"{caller}: with several processes, every input needs the same "
                             f"number of rows. Received row counts {sorted(rows, key=str)}.")
        check_rows(next(iter(rows)), distribution, caller)
        return tree.map_structure(
            lambda a: None if a is None else lib.distribute_data(np.asarray(a), sharding),
            inputs)
    if len(rows) != 1 or None in rows or next(iter(rows)) % distribution.num_model_replicas:
        return inputs
    return tree.map_structure(
        lambda a: None if a is None else lib.distribute_tensor(a, sharding), inputs)


def local_outputs(outputs, distribution):
    """Inference outputs as this process's rows (with one process, all of them), once the
    program that made them has run where programs over the mesh must not overlap."""
    lib = _lib()
    outputs = lib.settle(outputs, distribution.device_mesh.backend_mesh)
    if distribution.num_processes == 1:
        return outputs
    sharding = lib.batch_sharding(distribution.device_mesh.backend_mesh,
                                  distribution.batch_dim_name)
    return tree.map_structure(lambda a: lib.local_rows(a, sharding), outputs)
