"""Multi-process start-up (`keras.distribution.initialize`) over `jax.distributed`.

Every process of a job runs the same script and calls `initialize` before anything touches JAX's
devices. Afterwards `jax.devices()` lists the devices of all processes, a `DeviceMesh` can span
them, and compiled steps run as one SPMD program with cross-process collectives (on CPU-only
hosts these go through gloo over TCP).
"""

import os

import jax
import numpy as np

ENV_JOB_ADDRESSES = "KERAS_DISTRIBUTION_JOB_ADDRESSES"
ENV_NUM_PROCESSES = "KERAS_DISTRIBUTION_NUM_PROCESSES"
ENV_PROCESS_ID = "KERAS_DISTRIBUTION_PROCESS_ID"


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Joins this process to a multi-process (multi-host) job.

    Call it first, before any computation, in every process of the job. Arguments left `None`
    are read from the environment variables `KERAS_DISTRIBUTION_JOB_ADDRESSES`,
    `KERAS_DISTRIBUTION_NUM_PROCESSES` and `KERAS_DISTRIBUTION_PROCESS_ID`; what is still
    `None` is left to JAX's cluster detection (Cloud TPU, SLURM, Open MPI).

    Args:
        job_addresses: `"host:port"` of process 0 (the coordinator), or the comma-separated
            addresses of all processes, of which the first is the coordinator.
        num_processes: Number of processes in the job.
        process_id: This process's index, `0` to `num_processes - 1`; `0` is the coordinator.

    Example:

    >>> # On process 0 and 1 of a two-host job, with process 0 at 10.0.0.1:
    >>> keras.distribution.initialize("10.0.0.1:1234", num_processes=2, process_id=0)  # or 1
    """
    if job_addresses is None:
        job_addresses = os.environ.get(ENV_JOB_ADDRESSES) or None
    if num_processes is None and os.environ.get(ENV_NUM_PROCESSES):
        num_processes = _env_int(ENV_NUM_PROCESSES)
    if process_id is None and os.environ.get(ENV_PROCESS_ID):
        process_id = _env_int(ENV_PROCESS_ID)
    num_processes = _check_int("num_processes", num_processes, minimum=1)
    process_id = _check_int("process_id", process_id, minimum=0)
    if num_processes is not None and process_id is not None and process_id >= num_processes:
        raise ValueError("initialize: `process_id` must be below `num_processes`. "
                         f"Received: process_id={process_id}, num_processes={num_processes}")
    coordinator = _coordinator_address(job_addresses, num_processes)
    # Without a CPU collectives implementation, processes on CPU-only hosts could not exchange
    # values; JAX 0.10 defaults to gloo, older setups to none.
    if jax.config.jax_cpu_collectives_implementation is None:
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes,
                               process_id=process_id)
    _agree_on_random_seed()


def num_processes():
    """Number of processes in the job (1 without `initialize`)."""
    return jax.process_count()


def process_id():
    """This process's index in the job (0 without `initialize`)."""
    return jax.process_index()


def _env_int(name):
    value = os.environ[name]
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"initialize: the environment variable {name} must be an integer. "
                         f"Received: {name}={value!r}") from None


def _check_int(name, value, minimum):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"initialize: `{name}` must be an int >= {minimum}. "
                         f"Received: {name}={value!r}")
    return int(value)


def _coordinator_address(job_addresses, num_processes):
    if job_addresses is None:
        return None
    if not isinstance(job_addresses, str):
        raise ValueError("initialize: `job_addresses` must be a string, `'host:port'` or "
                         "comma-separated `'host0:port0,host1:port1,...'`. "
                         f"Received: job_addresses={job_addresses!r}")
    addresses = [a.strip() for a in job_addresses.split(",")]
    if len(addresses) > 1 and num_processes is not None and len(addresses) != num_processes:
        raise ValueError(
            f"initialize: `job_addresses` lists {len(addresses)} processes but "
            f"num_processes={num_processes}. Received: job_addresses={job_addresses!r}")
    return addresses[0]


def _agree_on_random_seed():
    """Gives every process the same random seed (process 0's), unless the program set one:
    variables are initialized in each process, and a replicated variable must get the same
    values everywhere."""
    from neokeras.backend.common import seed_generator
    from neokeras.utils.rng_utils import set_random_seed

    if seed_generator.has_global_seed():
        return
    from jax.experimental import multihost_utils

    seed = np.asarray(seed_generator.make_default_seed(), dtype=np.int32)
    set_random_seed(int(multihost_utils.broadcast_one_to_all(seed)))
