"""Array helpers on numpy: one-hot and ordinal encoding, normalization."""

import numpy as np


def to_categorical(x, num_classes=None):
    """One-hot encodes integer class labels.

    Args:
        x: Array-like of class indices (a trailing axis of size 1 is dropped).
        num_classes: Total number of classes; `max(x) + 1` when None.

    Returns:
        A float32 array of shape `x.shape + (num_classes,)`.
    """
    x = np.asarray(x, dtype="int64")
    if x.ndim > 1 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.size and x.min() < 0:
        raise ValueError(f"to_categorical expects non-negative class indices, got {x.min()}.")
    if num_classes is None:
        num_classes = int(x.max()) + 1 if x.size else 0
    elif x.size and x.max() >= num_classes:
        raise ValueError(
            f"to_categorical: class index {int(x.max())} is out of range for "
            f"num_classes={num_classes}."
        )
    out = np.zeros(x.shape + (num_classes,), dtype="float32")
    np.put_along_axis(out, x[..., None], 1.0, axis=-1)
    return out


def normalize(x, axis=-1, order=2):
    """Scales `x` to unit `order`-norm along `axis` (zero rows stay zero)."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def to_ordinal(y, num_classes=None, dtype="float32"):
    """Ordinal encoding: class `c` becomes `c` ones followed by zeros (`num_classes - 1` wide).

    Args:
        y: Array-like of class indices (a trailing axis of size 1 is dropped).
        num_classes: Total number of classes; `max(y) + 1` when None.
        dtype: Output dtype.
    """
    y = np.array(y, dtype="int")
    shape = y.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    y = y.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(y)) + 1
    out = (np.arange(num_classes - 1)[None, :] < y[:, None]).astype(dtype)
    return out.reshape(shape + (num_classes - 1,))
