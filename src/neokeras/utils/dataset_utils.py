"""`split_dataset`, and the directory indexing and splitting behind the `*_dataset_from_directory`
functions (file order, labels and subsets as Keras computes them)."""

import os

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


def check_validation_split_arg(validation_split, subset, shuffle, seed, caller):
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"{caller}: validation_split must be in (0, 1). "
                         f"Received: validation_split={validation_split}")
    if bool(validation_split) != bool(subset):
        raise ValueError(f"{caller}: validation_split and subset must be given together. "
                         f"Received: validation_split={validation_split}, subset={subset!r}")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f"{caller}: subset must be 'training', 'validation' or 'both'. "
                         f"Received: subset={subset!r}")
    if validation_split and shuffle and seed is None:
        raise ValueError(f"{caller}: with validation_split and shuffle, give a seed so that "
                         "the training and validation subsets do not overlap.")


def check_labels_args(labels, label_mode, class_names, caller):
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple, np.ndarray)):
            raise ValueError(
                f"{caller}: labels must be 'inferred', None, or a list/tuple of integer labels, "
                f"one per file in the directory. Received: labels={labels!r}")
        if class_names:
            raise ValueError(f"{caller}: class_names can only be given with labels='inferred'. "
                             f"Received: class_names={class_names}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f"{caller}: label_mode must be 'int', 'categorical', 'binary' or None. "
                         f"Received: label_mode={label_mode!r}")


def _files_under(directory, formats, follow_links):
    """Files ending in `formats` (case-insensitive), sorted by directory then name, as Keras."""
    found = []
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda w: w[0]):
        found.extend((root, name) for name in sorted(files) if name.lower().endswith(formats))
    return found


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, verbose=True, caller="index_directory"):
    """Lists the files of a class-per-subdirectory tree in Keras's order.

    Returns:
        `(file_paths, labels, class_names)`: paths shuffled by `RandomState(seed)` when
        `shuffle`, int32 labels (None for `labels=None`), and the class names.
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"{caller}: directory {directory!r} does not exist or is not a "
                         "directory.")
    if labels == "inferred":
        subdirs = [d for d in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(
                    f"{caller}: class_names {list(class_names)} must be names of subdirectories "
                    f"of {directory!r}, which are {subdirs}.")
            subdirs = list(class_names)
    else:
        subdirs = [""]
        if class_names is not None:
            raise ValueError(f"{caller}: class_names can only be given with labels='inferred'.")
    filenames, label_list = [], []
    for index, subdir in enumerate(subdirs):
        path = os.path.join(directory, subdir)
        files = _files_under(path, formats, follow_links)
        if labels == "inferred" and not files:
            raise ValueError(
                f"{caller}: the class folder {path!r} contains no files of the accepted formats "
                f"{formats}. Remove it, add files, or pass class_names without it.")
        for root, name in files:
            filenames.append(os.path.join(subdir, os.path.relpath(os.path.join(root, name), path)))
            label_list.append(index)
    class_names = subdirs
    if labels == "inferred":
        labels = np.asarray(label_list, dtype="int32")
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                f"{caller}: labels has {len(labels)} entries but {len(filenames)} files were "
                f"found in {directory!r}; give one label per file (files sorted by name).")
        labels = np.asarray(labels)
        class_names = [str(label) for label in sorted(set(labels.tolist()))]
    if verbose:
        from neokeras.utils import io_utils

        if labels is None:
            io_utils.print_msg(f"Found {len(filenames)} files.")
        else:
            io_utils.print_msg(f"Found {len(filenames)} files belonging to "
                               f"{len(class_names)} classes.")
    paths = [os.path.join(directory, f) for f in filenames]
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def training_or_validation_split(samples, labels, validation_split, subset):
    """The `subset` part of a split: the last `int(validation_split * n)` samples validate."""
    if not validation_split:
        return samples, labels
    from neokeras.utils import io_utils

    n_val = int(validation_split * len(samples))
    if subset == "training":
        io_utils.print_msg(f"Using {len(samples) - n_val} files for training.")
        keep = slice(0, len(samples) - n_val)
    else:
        io_utils.print_msg(f"Using {n_val} files for validation.")
        keep = slice(len(samples) - n_val, len(samples))
    return samples[keep], None if labels is None else labels[keep]


def encode_label(label, label_mode, num_classes):
    """One label as Keras's datasets give it: int32, float32 `[x]`, or one-hot float32."""
    if label_mode == "binary":
        return np.asarray([label], dtype="float32")
    if label_mode == "categorical":
        out = np.zeros(num_classes, dtype="float32")
        out[int(label)] = 1.0
        return out
    return np.asarray(label, dtype="int32")


def subsets(caller, directory, paths, labels, validation_split, subset, kinds):
    """`[(paths, labels, is_training)]` for `subset` (two entries for `"both"`)."""
    names = ["training", "validation"] if subset == "both" else [subset]
    parts = []
    for name in names:
        part_paths, part_labels = training_or_validation_split(paths, labels,
                                                               validation_split, name)
        if not part_paths:
            which = f"{name} " if subset == "both" else ""
            raise ValueError(f"{caller}: no {which}{kinds} found in directory {directory!r}.")
        parts.append((part_paths, part_labels, name != "validation"))
    return parts
