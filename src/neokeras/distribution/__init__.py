"""`keras.distribution`: spread a model and its batches over many devices.

A `DeviceMesh` names the axes of a grid of devices; a `TensorLayout` says which mesh axis each
dimension of a tensor is split over; `DataParallel` and `ModelParallel` choose layouts for every
variable and batch. Set one with `set_distribution` (or `with distribution.scope():`) before
building the model: variables are then created directly in their shards, and `fit`, `evaluate`
and `predict` run one SPMD program over the mesh.
"""

from neokeras.distribution.distributions import DataParallel  # noqa: F401
from neokeras.distribution.distributions import Distribution  # noqa: F401
from neokeras.distribution.distributions import ModelParallel  # noqa: F401
from neokeras.distribution.distributions import distribute_tensor  # noqa: F401
from neokeras.distribution.distributions import distribution  # noqa: F401
from neokeras.distribution.distributions import initialize  # noqa: F401
from neokeras.distribution.distributions import set_distribution  # noqa: F401
from neokeras.distribution.layout_map import LayoutMap  # noqa: F401
from neokeras.distribution.mesh import DeviceMesh  # noqa: F401
from neokeras.distribution.mesh import TensorLayout  # noqa: F401
from neokeras.distribution.mesh import get_device_count  # noqa: F401
from neokeras.distribution.mesh import list_devices  # noqa: F401
