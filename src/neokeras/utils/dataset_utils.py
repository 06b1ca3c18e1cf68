"""`split_dataset`: splits in-memory data into two parts."""

import numpy as np

from neokeras.utils import tree


def _fraction_or_count(value, total, name):
    if value is None:
        return None
    if isinstance(value, float):
        if not 0 < value < 1:
            raise ValueError(f"split_dataset: {name} as a float must be in (0, 1). "
                             f"Received: {value}")
        return int(round(value * total))
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        if not 0 < value <= total:
            raise ValueError(f"split_dataset: {name} as an int must be in [1, {total}]. "
                             f"Received: {value}")
        return int(value)
    raise ValueError(f"split_dataset: {name} must be a float, an int or None. Received: {value!r}")


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits an array, or a tuple/list/dict of arrays with a common first dimension, in two.

    Args:
        dataset: A numpy array, or a tuple/list/dict of them (e.g. `(x, y)`).
        left_size: Fraction (float in (0, 1)) or number of samples of the left part; the
            rest when None.
        right_size: Likewise for the right part. When both are None the left part is 0.5.
        shuffle: Shuffle the samples before splitting.
        seed: Seed of the shuffle.

    Returns:
        `(left, right)`, each with the structure of `dataset`.
    """
    arrays = tree.map_structure(np.asarray, dataset)
    sizes = {a.shape[0] if a.ndim else None for a in tree.flatten(arrays)}
    if len(sizes) != 1 or None in sizes:
        raise ValueError("split_dataset: all arrays must have the same first dimension. "
                         f"Received first dimensions {sorted(s for s in sizes if s is not None)}")
    total = sizes.pop()
    if total == 0:
        raise ValueError("split_dataset: the dataset is empty.")
    left = _fraction_or_count(left_size, total, "left_size")
    right = _fraction_or_count(right_size, total, "right_size")
    if left is None and right is None:
        left = int(round(total * 0.5))
    if left is None:
        left = total - right
    if right is None:
        right = total - left
    if left + right > total:
        raise ValueError(f"split_dataset: left_size and right_size ask for {left + right} "
                         f"samples but the dataset has {total}.")
    if left == 0 or right == 0:
        raise ValueError(f"split_dataset: the split gives an empty part (left={left}, "
                         f"right={right}).")
    order = np.random.default_rng(seed).permutation(total) if shuffle else np.arange(total)
    left_rows, right_rows = order[:left], order[left:left + right]

    def take(rows):
        return tree.map_structure(lambda a: a[rows], arrays)

    return take(left_rows), take(right_rows)
