"""Argument helpers shared by the cropping, padding and up-sampling layers."""

import numbers

from neokeras.layers.convolutional._args import normalize_data_format  # noqa: F401


def normalize_pairs(value, rank, name, owner):
    """`value` as `rank` pairs of non-negative ints `((before, after), ...)`.

    Accepts an int (same on every side), `rank` ints (symmetric per axis) or `rank` pairs; for
    rank 1 a pair of ints means `(before, after)`.
    """

    def is_int(v):
        return isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 0

    pairs = None
    if is_int(value):
        pairs = ((value, value),) * rank
    elif isinstance(value, (list, tuple)):
        items = tuple(value)
        if rank == 1 and len(items) == 2 and all(is_int(v) for v in items):
            pairs = (items,)
        elif len(items) == rank and all(is_int(v) for v in items):
            pairs = tuple((v, v) for v in items)
        elif len(items) == rank and all(isinstance(p, (list, tuple)) and len(p) == 2
                                        and all(is_int(v) for v in p) for p in items):
            pairs = tuple(tuple(p) for p in items)
    if pairs is None:
        raise ValueError(
            f"{owner}: `{name}` must be a non-negative int, a tuple of {rank} non-negative ints "
            f"or a tuple of {rank} (before, after) pairs. Received: {name}={value!r}")
    return tuple((int(before), int(after)) for before, after in pairs)


def spatial_axes(rank, data_format):
    """Indices of the spatial axes of a `rank`-D input in `data_format`."""
    start = 2 if data_format == "channels_first" else 1
    return tuple(range(start, start + rank))
