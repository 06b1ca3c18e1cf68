"""`InputSpec`: what a layer accepts, checked on every call with a clear error."""


class InputSpec:
    """Constraints on a layer input.

    Args:
        ndim: Exact rank, or None.
        min_ndim: Minimum rank, or None.
        axes: Dict mapping axis index to the required size, e.g. `{-1: 784}`.
        dtype: Required dtype, or None.
    """

    def __init__(self, ndim=None, min_ndim=None, axes=None, dtype=None, shape=None):
        self.ndim = ndim if shape is None else len(shape)
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})
        self.dtype = dtype
        self.shape = shape

    def check(self, layer, shape, origin=""):
        """Raises a ValueError naming `layer` if `shape` does not satisfy this spec."""
        shape = tuple(shape)
        cls = type(layer).__name__
        if self.ndim is not None and len(shape) != self.ndim:
            raise ValueError(
                f"{cls} '{layer.name}' expects input of rank {self.ndim}, got shape {shape}."
            )
        if self.min_ndim is not None and len(shape) < self.min_ndim:
            raise ValueError(
                f"{cls} '{layer.name}' expects input of rank >= {self.min_ndim}, got shape {shape}."
            )
        for axis, size in self.axes.items():
            if size is None or len(shape) <= (axis if axis >= 0 else -axis - 1):
                continue
            if shape[axis] is not None and shape[axis] != size:
                where = "last dimension" if axis == -1 else f"dimension {axis} of size"
                raise ValueError(
                    f"{cls} '{layer.name}' expects input with {where} {size}, got shape {shape}."
                    f"{origin}"
                )
