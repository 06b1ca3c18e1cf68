"""Packing `x`, `y`, `sample_weight` into the tuple a batch is, and back."""


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs into `x`, `(x,)` (when `x` is itself a tuple/list), `(x, y)` or `(x, y, sw)`."""
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """Unpacks a batch `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` into three values."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if 1 <= len(data) <= 3:
        return (data + (None, None))[:3]
    raise ValueError("Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`. Received a tuple of length {len(data)}.")
