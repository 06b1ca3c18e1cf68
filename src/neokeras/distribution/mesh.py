"""Devices and how a tensor is laid out over them: `list_devices`, `get_device_count`,
`DeviceMesh` and `TensorLayout`."""

import math

import numpy as np

from neokeras import backend
from neokeras.api_export import keras_name


def _backend():
    return backend.impl.distribution


@keras_name("keras.distribution.list_devices")
def list_devices(device_type=None):
    """Returns the devices available for distributed computation (all processes' devices).

    Args:
        device_type: `"cpu"`, `"gpu"` or `"tpu"`. Defaults to the accelerators when there are
            any, else the CPUs; never a mix of kinds.

    Returns:
        A list of strings `"kind:id"`, such as `"gpu:0"`.
    """
    return _backend().list_devices(device_type)


@keras_name("keras.distribution.get_device_count")
def get_device_count(device_type=None):
    """Returns the number of devices of `device_type` (see `list_devices`)."""
    return _backend().get_device_count(device_type)


@keras_name("keras.distribution.DeviceMesh")
class DeviceMesh:
    """A grid of devices with named axes (`jax.sharding.Mesh`).

    Args:
        shape: The mesh shape, e.g. `(8,)` for data parallelism only or `(2, 4)` for data and
            model parallelism.
        axis_names: One name per mesh axis, e.g. `["batch", "model"]`; layouts refer to them.
        devices: Optional list (or array) of devices; defaults to `list_devices()`.
    """

    def __init__(self, shape, axis_names, devices=None):
        if not shape or not axis_names:
            raise ValueError("DeviceMesh: `shape` and `axis_names` cannot be empty. Received: "
                             f"shape={shape}, axis_names={axis_names}")
        if len(shape) != len(axis_names):
            raise ValueError("DeviceMesh: `shape` and `axis_names` must have the same length. "
                             f"Received: shape={shape}, axis_names={axis_names}")
        if devices is None:
            devices = list_devices()
        devices = np.array(devices, dtype=object)
        if math.prod(shape) != devices.size:
            raise ValueError(f"DeviceMesh: shape {tuple(shape)} holds {math.prod(shape)} devices "
                             f"but {devices.size} were given (devices.shape={devices.shape}).")
        self._shape = shape
        self._axis_names = axis_names
        self._devices = devices.reshape(tuple(int(d) for d in shape))
        self._backend_mesh = None

    @property
    def shape(self):
        return self._shape

    @property
    def axis_names(self):
        return self._axis_names

    @property
    def devices(self):
        return self._devices

    @property
    def backend_mesh(self):
        """The backend's mesh (a `jax.sharding.Mesh`), made once."""
        if self._backend_mesh is None:
            self._backend_mesh = _backend().to_mesh(self._devices, self._axis_names)
        return self._backend_mesh

    def axis_size(self, axes):
        """How many devices a layout entry (an axis name, a tuple of names, or None) spans."""
        if axes is None:
            return 1
        names = axes if isinstance(axes, (tuple, list)) else (axes,)
        return math.prod(int(self._shape[list(self._axis_names).index(n)]) for n in names)

    def __repr__(self):
        return f"<DeviceMesh shape={self.shape}, axis_names={self.axis_names}>"

    __str__ = __repr__


@keras_name("keras.distribution.TensorLayout")
class TensorLayout:
    """How a tensor is split over a `DeviceMesh` (`jax.sharding.NamedSharding`).

    Args:
        axes: One entry per tensor dimension: the mesh axis name it is split over, or None to
            keep that dimension whole.
        device_mesh: Optional `DeviceMesh`; a `LayoutMap` or distribution fills it in later.
    """

    def __init__(self, axes, device_mesh=None):
        self._axes = tuple(axes)
        self._device_mesh = device_mesh
        self._backend_layout = None
        self._validate_axes()

    @property
    def axes(self):
        return self._axes

    @property
    def device_mesh(self):
        return self._device_mesh

    @device_mesh.setter
    def device_mesh(self, device_mesh):
        if self._device_mesh is not None:
            raise ValueError("TensorLayout: the device mesh is already set and cannot be "
                             f"replaced. Existing mesh: {self._device_mesh}")
        self._device_mesh = device_mesh
        self._validate_axes()

    @property
    def backend_layout(self):
        """The backend's sharding (a `jax.sharding.NamedSharding`), made once."""
        if self._backend_layout is None:
            if self._device_mesh is None:
                raise ValueError("TensorLayout: cannot make a sharding before the device mesh "
                                 f"is set (axes={self._axes}).")
            self._backend_layout = _backend().to_sharding(self._device_mesh.backend_mesh,
                                                          self._axes)
        return self._backend_layout

    def _validate_axes(self):
        if self._device_mesh is None:
            return
        valid = set(self._device_mesh.axis_names)
        used = set()
        for entry in self._axes:
            if entry is not None:
                used.update(entry if isinstance(entry, (tuple, list)) else (entry,))
        if used - valid:
            raise ValueError(f"TensorLayout: invalid axis names {sorted(used - valid)}; the "
                             f"mesh's axis names are {sorted(valid)}. Received: axes={self._axes}")

    def check_shape(self, shape, what):
        """Raises a ValueError naming `what` when a dimension of `shape` does not split evenly
        over the mesh axes this layout assigns to it."""
        if len(self._axes) != len(shape):
            raise ValueError(f"{what} of shape {tuple(shape)} cannot take the layout "
                             f"{self._axes}: it has {len(shape)} dimensions, the layout "
                             f"{len(self._axes)}.")
        for dim, (size, entry) in enumerate(zip(shape, self._axes)):
            devices = self._device_mesh.axis_size(entry)
            if size % devices:
                raise ValueError(
                    f"{what} of shape {tuple(shape)} cannot take the layout {self._axes}: "
                    f"dimension {dim} (size {size}) does not divide evenly over mesh axis "
                    f"{entry!r} ({devices} devices).")

    def __repr__(self):
        return f"<TensorLayout axes={self.axes}, device_mesh={self.device_mesh}>"

    __str__ = __repr__
