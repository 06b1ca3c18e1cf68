"""Distributions: where variables and batches live on a `DeviceMesh`, and the current one.

A distribution answers two questions: the layout of each variable (asked once, when the
variable is created, so its value goes straight to its shards) and the layout of a batch (split
along the mesh's batch axis). `fit`, `evaluate` and `predict` under a distribution run one SPMD
program over the global arrays, so losses and metrics are those of the whole batch.
"""

import contextlib
import math
import threading
import warnings

import numpy as np

from neokeras import backend
from neokeras.api_export import keras_name
from neokeras.backend.common.keras_tensor import KerasTensor
from neokeras.distribution.layout_map import LayoutMap
from neokeras.distribution.mesh import DeviceMesh
from neokeras.distribution.mesh import TensorLayout
from neokeras.distribution.mesh import list_devices

DEFAULT_BATCH_DIM_NAME = "batch"
# FSDP shards variables of at least this many elements unless told otherwise.
DEFAULT_FSDP_MIN_SIZE = 1024


class _ThreadState(threading.local):
    # A class default makes reading an unset distribution a plain attribute read: `predict`
    # asks on every call.
    distribution = None


_STATE = _ThreadState()


def _backend():
    return backend.impl.distribution


class Distribution:
    """Base class: a `DeviceMesh`, the name of its batch axis, and the layouts of variables,
    batches and intermediate tensors.

    Args:
        device_mesh: A `DeviceMesh`.
        batch_dim_name: The mesh axis batches are split over.
        auto_shard_dataset: In a multi-process run, whether each process reads only its part
            of a dataset (for in-memory arrays, each process already passes its own part).
    """

    def __init__(self, device_mesh, batch_dim_name=None, auto_shard_dataset=True):
        self._device_mesh = device_mesh
        self._batch_dim_name = batch_dim_name
        self._auto_shard_dataset = auto_shard_dataset
        self._num_processes = _backend().num_processes()
        self._process_id = _backend().process_id()

    @property
    def device_mesh(self):
        return self._device_mesh

    @property
    def batch_dim_name(self):
        return self._batch_dim_name

    @property
    def auto_shard_dataset(self):
        return self._auto_shard_dataset

    @auto_shard_dataset.setter
    def auto_shard_dataset(self, value):
        self._auto_shard_dataset = value

    @property
    def num_processes(self):
        return self._num_processes

    @property
    def num_model_replicas(self):
        """How many slices a batch is split into (the size of the batch axis)."""
        return self._device_mesh.axis_size(self._batch_dim_name)

    @property
    def data_shard_id(self):
        """Which slice of the global data this process feeds."""
        replicas = self.num_model_replicas
        if replicas >= self._num_processes:
            return self._process_id
        return self._process_id // (self._num_processes // replicas)

    @contextlib.contextmanager
    def scope(self):
        """A context in which this distribution is the current one."""
        previous = distribution()
        set_distribution(self)
        try:
            yield
        finally:
            set_distribution(previous)

    def get_data_layout(self, data_shape):
        """The `TensorLayout` of a batch of shape `data_shape`: split on its first dimension."""
        axes = [None] * len(data_shape)
        axes[0] = self._batch_dim_name
        return TensorLayout(axes, self._device_mesh)

    def get_variable_layout(self, variable):
        """The `TensorLayout` of `variable` (its own `_layout` if it has one)."""
        own = getattr(variable, "_layout", None)
        if own is not None:
            return own
        return self._layout_for(variable.path, tuple(variable.shape))

    def get_tensor_layout(self, path):
        """The layout an intermediate tensor at `path` is constrained to, or None."""
        return None

    def _layout_for(self, path, shape):
        return TensorLayout([None] * len(shape), self._device_mesh)

    def distribute_dataset(self, dataset):
        """Returns `dataset`: in-memory arrays and generators already hold one process's part."""
        return dataset

    def __repr__(self):
        return f"<{type(self).__name__} device_mesh={self._device_mesh}>"

    __str__ = __repr__


@keras_name("keras.distribution.DataParallel")
class DataParallel(Distribution):
    """Data parallelism: every device holds all variables; batches are split over devices.

    Give a `device_mesh` (its first axis is the batch axis) or a list of `devices`; with
    neither, all of `list_devices()` form a 1-D mesh with the axis `"batch"`.

    Args:
        device_mesh: Optional `DeviceMesh`, normally 1-D.
        devices: Optional list of devices.
        auto_shard_dataset: See `Distribution`.

    Example:

    >>> keras.distribution.set_distribution(keras.distribution.DataParallel())
    >>> model.fit(x, y, batch_size=64)  # each of 8 devices computes 8 rows per step
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True):
        if device_mesh is not None:
            if not isinstance(device_mesh, DeviceMesh):
                raise ValueError("DataParallel: `device_mesh` must be a DeviceMesh. Received: "
                                 f"{device_mesh!r} of type {type(device_mesh).__name__}")
            if len(device_mesh.shape) != 1:
                warnings.warn(f"DataParallel expects a 1-D mesh; got shape {device_mesh.shape}. "
                              f"Batches are split over its first axis "
                              f"{device_mesh.axis_names[0]!r}.", stacklevel=2)
            batch_axis = device_mesh.axis_names[0]
        else:
            devices = np.array(list_devices() if devices is None or len(devices) == 0
                               else devices, dtype=object)
            device_mesh = DeviceMesh(devices.shape, [DEFAULT_BATCH_DIM_NAME], devices)
            batch_axis = DEFAULT_BATCH_DIM_NAME
        super().__init__(device_mesh, batch_axis, auto_shard_dataset)

    @property
    def num_model_replicas(self):
        return self._device_mesh.devices.size


@keras_name("keras.distribution.ModelParallel")
class ModelParallel(Distribution):
    """Data and model parallelism: variables are split as a `LayoutMap` says, batches over the
    batch axis.

    Variables whose path matches no key of the layout map are replicated, unless `fsdp=True`:
    then every variable of at least `fsdp_min_size` elements (and, through it, its optimizer
    slots) is split over the batch axis along its largest dimension that divides evenly, so
    each device stores only its part of the model and of the optimizer state (fully sharded
    data parallelism). Variables with no such dimension stay replicated.

    Args:
        layout_map: A `LayoutMap` of variable paths (regular expressions) to layouts; its mesh
            is the distribution's mesh. Optional with `fsdp=True`.
        batch_dim_name: The mesh axis batches are split over; defaults to the first.
        auto_shard_dataset: See `Distribution`.
        fsdp: Whether to shard the variables the layout map leaves out over the batch axis.
        fsdp_min_size: The smallest variable (in elements) that `fsdp` shards.
        device_mesh: The mesh, when there is no `layout_map` (`fsdp=True`); defaults to all
            devices on one axis `"batch"`.

    Example:

    >>> mesh = DeviceMesh((2, 4), ["batch", "model"])
    >>> layout_map = LayoutMap(mesh)
    >>> layout_map[".*dense.*kernel"] = (None, "model")
    >>> keras.distribution.set_distribution(ModelParallel(layout_map=layout_map))
    >>> keras.distribution.set_distribution(ModelParallel(fsdp=True))  # FSDP over all devices
    """

    def __init__(self, *, layout_map=None, batch_dim_name=None, auto_shard_dataset=True,
                 fsdp=False, fsdp_min_size=DEFAULT_FSDP_MIN_SIZE, device_mesh=None):
        if layout_map is None and not fsdp:
            raise ValueError("ModelParallel: a `layout_map` is required (or `fsdp=True` for "
                             "the automatic fully sharded layout).")
        if layout_map is not None and not isinstance(layout_map, LayoutMap):
            raise ValueError("ModelParallel: `layout_map` must be a LayoutMap. Received: "
                             f"{layout_map!r} of type {type(layout_map).__name__}")
        if isinstance(fsdp_min_size, bool) or not isinstance(fsdp_min_size, (int, np.integer)) \
                or fsdp_min_size < 0:
            raise ValueError("ModelParallel: `fsdp_min_size` must be a non-negative int. "
                             f"Received: {fsdp_min_size!r}")
        if layout_map is not None:
            if device_mesh is not None and device_mesh is not layout_map.device_mesh:
                raise ValueError("ModelParallel: `device_mesh` differs from the layout map's "
                                 "mesh; give only the layout map.")
            device_mesh = layout_map.device_mesh
        elif device_mesh is None:
            devices = np.array(list_devices(), dtype=object)
            device_mesh = DeviceMesh(devices.shape, [DEFAULT_BATCH_DIM_NAME], devices)
        if not isinstance(device_mesh, DeviceMesh):
            raise ValueError("ModelParallel: the device mesh must be a DeviceMesh. Received: "
                             f"{device_mesh!r}")
        batch_dim_name = batch_dim_name or device_mesh.axis_names[0]
        if batch_dim_name not in device_mesh.axis_names:
            raise ValueError(f"ModelParallel: batch_dim_name={batch_dim_name!r} is not an axis "
                             f"of the mesh (axis names: {list(device_mesh.axis_names)}).")
        super().__init__(device_mesh, batch_dim_name, auto_shard_dataset)
        self._layout_map = layout_map
        self._fsdp = bool(fsdp)
        self._fsdp_min_size = int(fsdp_min_size)
        replicas = self.num_model_replicas
        if self._num_processes > replicas and self._num_processes % replicas:
            raise ValueError(
                f"ModelParallel: {self._num_processes} processes cannot share "
                f"{replicas} model replicas evenly (num_processes must divide by "
                "num_model_replicas when it is larger).")

    @property
    def fsdp(self):
        return self._fsdp

    def get_tensor_layout(self, path):
        return None if self._layout_map is None else self._layout_map[path]

    def _layout_for(self, path, shape):
        layout = None if self._layout_map is None else self._layout_map[path]
        if layout is not None:
            return layout
        axes = [None] * len(shape)
        if self._fsdp and math.prod(shape) >= max(self._fsdp_min_size, 1):
            devices = self.num_model_replicas
            candidates = [d for d in range(len(shape)) if shape[d] % devices == 0]
            if candidates:
                axes[max(candidates, key=lambda d: shape[d])] = self._batch_dim_name
        return TensorLayout(axes, self._device_mesh)


def variable_layout(path, shape, layout=None):
    """The layout a new variable at `path` of `shape` takes: `layout` if given (axes or a
    `TensorLayout`), else the current distribution's; None without a distribution. Raises a
    ValueError when the layout does not divide the shape."""
    current = distribution()
    if layout is None:
        if current is None:
            return None
        layout = current._layout_for(path, tuple(shape))
    elif not isinstance(layout, TensorLayout):
        if not isinstance(layout, (tuple, list)):
            return layout  # a backend sharding, used as it is
        layout = TensorLayout(layout)
    if layout.device_mesh is None:
        if current is None:
            return None
        layout = TensorLayout(layout.axes, current.device_mesh)
    layout.check_shape(tuple(shape), f"Variable '{path}'")
    return layout


@keras_name("keras.distribution.initialize")
def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Joins this process to a multi-process (multi-host) job; call it first in every process.

    Arguments left None are read from `KERAS_DISTRIBUTION_JOB_ADDRESSES`,
    `KERAS_DISTRIBUTION_NUM_PROCESSES` and `KERAS_DISTRIBUTION_PROCESS_ID`. Afterwards
    `list_devices()` lists the devices of all processes.

    Args:
        job_addresses: `"host:port"` of process 0 (the coordinator), or the comma-separated
            addresses of all processes (the first is the coordinator).
        num_processes: Number of processes in the job.
        process_id: This process's index, 0 to `num_processes - 1`.
    """
    import importlib

    importlib.import_module(f"{backend.impl.__name__}.distributed_init").initialize(
        job_addresses, num_processes, process_id)


@keras_name("keras.distribution.distribute_tensor")
def distribute_tensor(tensor, layout):
    """Returns `tensor` laid out as `layout`: inside a compiled function a sharding constraint,
    outside a transfer to the layout's devices.

    Args:
        tensor: A tensor.
        layout: A `TensorLayout` (with its mesh set) or a backend sharding.
    """
    if isinstance(tensor, KerasTensor):
        return tensor  # symbolic: shapes only, nothing to place
    sharding = layout.backend_layout if isinstance(layout, TensorLayout) else layout
    if not _backend().is_sharding(sharding):
        raise ValueError("distribute_tensor: `layout` must be a TensorLayout or a backend "
                         f"sharding. Received: {layout!r}")
    return _backend().distribute_tensor(tensor, sharding)


@keras_name("keras.distribution.distribution")
def distribution():
    """Returns the current distribution (set by `set_distribution` or `Distribution.scope()`),
    or None."""
    return _STATE.distribution


@keras_name("keras.distribution.set_distribution")
def set_distribution(value):
    """Makes `value` (a `DataParallel`, `ModelParallel`, or None) the current distribution.

    Variables created afterwards take its layouts, and `fit`, `evaluate` and `predict` split
    their batches over its mesh.
    """
    if value is not None and not isinstance(value, Distribution):
        raise ValueError("set_distribution: expected a Distribution (DataParallel, "
                         f"ModelParallel) or None. Received: {value!r}")
    _STATE.distribution = value
