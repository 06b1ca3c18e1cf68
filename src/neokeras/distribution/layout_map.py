"""`LayoutMap`: tensor layouts by variable path, the keys read as regular expressions."""

import collections.abc
import re

from neokeras.api_export import keras_name
from neokeras.distribution.mesh import TensorLayout


@keras_name("keras.distribution.LayoutMap")
class LayoutMap(collections.abc.MutableMapping):
    """A dict from variable paths to `TensorLayout`s whose keys match as regular expressions.

    Looking up a path returns the layout of the key equal to it, else of the one key that
    `re.fullmatch`es it, else None; a path matched by several keys is an error. A tuple of axis
    names may be stored instead of a `TensorLayout`.

    Args:
        device_mesh: The `DeviceMesh` the layouts refer to.

    Example:

    >>> layout_map = LayoutMap(mesh)
    >>> layout_map[".*dense.*kernel"] = (None, "model")
    >>> layout_map["dense_1/kernel"].axes
    (None, 'model')
    """

    def __init__(self, device_mesh):
        self._layouts = {}
        self._device_mesh = device_mesh

    @property
    def device_mesh(self):
        return self._device_mesh

    def __getitem__(self, key):
        if key in self._layouts:
            return self._layouts[key]
        matches = [pattern for pattern in self._layouts if re.fullmatch(pattern, key)]
        if len(matches) > 1:
            raise ValueError(f"LayoutMap: the path {key!r} matches several keys {matches}; "
                             "each path may match at most one key.")
        return self._layouts[matches[0]] if matches else None

    def __setitem__(self, key, layout):
        if key in self._layouts:
            raise ValueError(f"LayoutMap: the key {key!r} is already set (to "
                             f"{self._layouts[key]}); keys must be unique.")
        if isinstance(layout, (tuple, list)):
            layout = TensorLayout(layout)
        if not isinstance(layout, TensorLayout):
            raise ValueError("LayoutMap: values must be TensorLayouts or tuples of axis names. "
                             f"Received: {layout!r} of type {type(layout).__name__}")
        if layout.device_mesh is None and self._device_mesh is not None:
            layout.device_mesh = self._device_mesh
        self._layouts[key] = layout

    def __delitem__(self, key):
        del self._layouts[key]

    def __len__(self):
        return len(self._layouts)

    def __iter__(self):
        return iter(self._layouts)
