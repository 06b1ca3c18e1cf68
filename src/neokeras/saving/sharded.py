"""Saving and loading variables whose values are spread over devices or processes.

Files always hold whole arrays, so a model trained on a mesh loads on one device and the
reverse. Saving gathers the shards; in a multi-process job every process calls `save` (the
gather is collective) and process 0 alone writes the file, which the others then see on a
shared file system. Loading places each value with the layout its variable already has, every
device receiving only its own shard. `save` returns in every process once the file is written.
"""

import contextlib
import threading

import numpy as np

_GATHERED = threading.local()


@contextlib.contextmanager
def gathered(variables):
    """Gathers the values of `variables` that other processes hold parts of (collective);
    inside, `host_value` returns them. Yields whether this process writes the file; when the
    block completes, every process waits until the writer is done."""
    from neokeras.backend import impl

    variables = list(variables)
    copies = impl.sharded_io.gather_remote([v.value for v in variables])
    previous = getattr(_GATHERED, "copies", None)
    _GATHERED.copies = {id(variables[i]): array for i, array in copies.items()}
    try:
        yield impl.sharded_io.is_writer()
    finally:
        _GATHERED.copies = previous
    impl.sharded_io.wait_for_writer("neokeras checkpoint written")


def is_writer():
    """Whether this process writes files (process 0 of a multi-process job)."""
    from neokeras.backend import impl

    return impl.sharded_io.is_writer()


def host_value(variable):
    """The whole value of `variable` as a numpy array, for writing into a file."""
    copies = getattr(_GATHERED, "copies", None) or {}
    if id(variable) in copies:
        return copies[id(variable)]
    return np.asarray(variable.numpy())


def assign(variable, value):
    """Assigns the host array `value` (read from a file) to `variable`, keeping the variable's
    placement: a sharded variable gets each shard put on its device directly."""
    from neokeras.backend import impl

    current = variable._value
    value = np.asarray(value).astype(variable.dtype)
    if impl.sharded_io.is_sharded(current):
        value = impl.distribution.place(value, variable.dtype, current.sharding)
    variable.assign(value)


def model_variables(model):
    """Every variable a save of `model` may write: the layers', the optimizer's and those of
    any other saveable object reached from the model, once each."""
    from neokeras.saving.saving_lib import own_variables, saveables

    found = list(getattr(model, "variables", ()))
    optimizer = getattr(model, "optimizer", None)
    found += list(getattr(optimizer, "variables", ()) or ())
    for _, obj in saveables(model):
        found += own_variables(obj)
    return _unique(found)


def _unique(variables):
    seen, result = set(), []
    for variable in variables:
        if id(variable) not in seen:
            seen.add(id(variable))
            result.append(variable)
    return result
