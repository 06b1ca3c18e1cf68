"""`text_dataset_from_directory`: a labelled dataset of `.txt` files from class folders."""

import numpy as np

from neokeras.utils import dataset_utils
from neokeras.utils.batch_dataset import BatchDataset

_CALLER = "text_dataset_from_directory"


def _strings(values):
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _collate(values):
    return _strings(values) if isinstance(values[0], str) else np.stack(values)


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                batch_size=32, max_length=None, shuffle=True, seed=None,
                                validation_split=None, subset=None, follow_links=False,
                                format="tf", verbose=True):
    """Builds a dataset of `(texts, labels)` batches from `.txt` files in subdirectories.

    Files are listed, shuffled and split as Keras does (the same seed gives the same
    `file_paths` and subsets). Texts come as object arrays of `str`.

    Args:
        directory: Root directory (one subdirectory per class with inferred labels).
        labels: `"inferred"`, None, or one integer label per file (files sorted by name).
        label_mode: `"int"`, `"categorical"`, `"binary"`, or None.
        class_names: With inferred labels, the subdirectories to use, in label order.
        batch_size: Samples per batch; None yields single samples.
        max_length: Keep at most the first `max_length` bytes of each file.
        shuffle: Shuffle the files (and each epoch's order).
        seed: Seed of the shuffles.
        validation_split: Fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"`.
        follow_links: Follow symbolic links to subdirectories.
        format: `"tf"` or `"grain"`, accepted for compatibility.
        verbose: Print how many files and classes were found.
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, _CALLER)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if max_length is not None and int(max_length) <= 0:
        raise ValueError(f"{_CALLER}: max_length must be positive. Received: {max_length}")
    if format not in ("tf", "grain"):
        raise ValueError(f"{_CALLER}: format must be 'tf' or 'grain'. Received: {format!r}")
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed, _CALLER)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(
        directory, labels, (".txt",), class_names, shuffle, seed, follow_links, verbose,
        caller=_CALLER)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f"{_CALLER}: label_mode='binary' needs exactly 2 classes. "
                         f"Received: class_names={class_names}")
    num_classes = len(class_names) if class_names else 0

    def read(path):
        with open(path, "rb") as f:
            data = f.read() if max_length is None else f.read(int(max_length))
        return data.decode("utf-8", errors="ignore")

    datasets = []
    for part_paths, part_labels, training in dataset_utils.subsets(
            _CALLER, directory, paths, labels, validation_split, subset, "text files"):
        def sample(i, part_paths=part_paths, part_labels=part_labels):
            text = read(part_paths[i])
            if label_mode is None:
                return text
            return text, dataset_utils.encode_label(part_labels[i], label_mode, num_classes)

        dataset = BatchDataset(len(part_paths), sample, batch_size, shuffle and training, seed,
                               collate=_collate)
        dataset.class_names = class_names
        dataset.file_paths = list(part_paths)
        datasets.append(dataset)
    return datasets if subset == "both" else datasets[0]
