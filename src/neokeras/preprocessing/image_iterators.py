"""Keras 2 iterators over images: from arrays, directories and dataframes (Sequences)."""

import collections
import os
import threading
import warnings

import numpy as np

from neokeras import config
from neokeras.utils import image_utils, io_utils
from neokeras.utils.py_dataset import PyDataset


class Iterator(PyDataset):
    """Base of the image iterators: a `Sequence` of batches that is also a Python iterator.

    With a `seed`, numpy's global random state is reseeded with `seed + batches_seen` before
    each batch, as tf-keras does, so augmentations repeat exactly.

    Args:
        n: Number of samples.
        batch_size: Samples per batch.
        shuffle: Shuffle the samples at each epoch.
        seed: Seed (see above).
    """

    white_list_formats = ("png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff")

    def __init__(self, n, batch_size, shuffle, seed):
        super().__init__()
        self.n, self.batch_size, self.shuffle, self.seed = n, batch_size, shuffle, seed
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_array = None
        self.index_generator = self._flow_index()

    def _set_index_array(self):
        self.index_array = np.random.permutation(self.n) if self.shuffle else np.arange(self.n)

    def _reseed(self):
        if self.seed is not None:
            np.random.seed(self.seed + self.total_batches_seen)

    def __getitem__(self, idx):
        if idx >= len(self):
            raise ValueError(f"Asked to retrieve batch {idx}, but the Sequence has length "
                             f"{len(self)}")
        self._reseed()
        self.total_batches_seen += 1
        if self.index_array is None:
            self._set_index_array()
        rows = self.index_array[self.batch_size * idx:self.batch_size * (idx + 1)]
        return self._get_batches_of_transformed_samples(rows)

    def __len__(self):
        return (self.n + self.batch_size - 1) // self.batch_size

    def on_epoch_end(self):
        self._set_index_array()

    def reset(self):
        self.batch_index = 0

    def _flow_index(self):
        self.reset()
        while True:
            self._reseed()
            if self.batch_index == 0:
                self._set_index_array()
            current = self.batch_index * self.batch_size % self.n if self.n else 0
            self.batch_index = self.batch_index + 1 if self.n > current + self.batch_size else 0
            self.total_batches_seen += 1
            yield self.index_array[current:current + self.batch_size]

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def next(self):
        """The next batch (cycling through the epochs forever)."""
        with self.lock:
            rows = next(self.index_generator)
        return self._get_batches_of_transformed_samples(rows)

    def _get_batches_of_transformed_samples(self, index_array):
        raise NotImplementedError


def _augment(generator, x):
    if generator:
        x = generator.apply_transform(x, generator.get_random_transform(x.shape))
        x = generator.standardize(x)
    return x


def _save_batch(batch_x, index_array, data_format, save_to_dir, prefix, fmt, hash_range):
    for i, j in enumerate(index_array):
        img = image_utils.array_to_img(batch_x[i], data_format, scale=True)
        img.save(os.path.join(save_to_dir,
                              f"{prefix}_{j}_{np.random.randint(hash_range)}.{fmt}"))


class NumpyArrayIterator(Iterator):
    """Augmented batches of in-memory images (what `ImageDataGenerator.flow` returns).

    `x` may be `(images, extra)` or `(images, [extras])`: extra inputs are batched alongside.
    """

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False,
                 sample_weight=None, seed=None, data_format=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, ignore_class_split=False,
                 dtype=None):
        data_format = data_format or config.image_data_format()
        self.dtype = dtype or config.floatx()
        if isinstance(x, (tuple, list)):
            extra = x[1] if isinstance(x[1], list) else [x[1]]
            misc = [np.asarray(m) for m in extra]
            x = x[0]
            for m in misc:
                if len(x) != len(m):
                    raise ValueError("flow: all arrays in x must have the same length. Found "
                                     f"len(x[0]) = {len(x)}, len(x[?]) = {len(m)}")
        else:
            misc = []
        if y is not None and len(x) != len(y):
            raise ValueError("flow: x (images) and y (labels) must have the same length. Found "
                             f"x.shape = {np.asarray(x).shape}, y.shape = {np.asarray(y).shape}")
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError("flow: x (images) and sample_weight must have the same length. "
                             f"Found x.shape = {np.asarray(x).shape}, sample_weight.shape = "
                             f"{np.asarray(sample_weight).shape}")
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f"flow: subset must be 'training' or 'validation'. "
                                 f"Received: {subset!r}")
            split = int(len(x) * image_data_generator._validation_split)
            if (y is not None and not ignore_class_split
                    and not np.array_equal(np.unique(y[:split]), np.unique(y[split:]))):
                raise ValueError("flow: the training and validation subsets have different "
                                 "classes after the split. If the arrays are sorted by label, "
                                 "shuffle them first (or pass ignore_class_split=True).")
            part = slice(0, split) if subset == "validation" else slice(split, None)
            x, misc = x[part], [np.asarray(m[part]) for m in misc]
            if y is not None:
                y = y[part]
            if sample_weight is not None:
                sample_weight = sample_weight[part]
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = misc
        if self.x.ndim != 4:
            raise ValueError("flow: images must be a rank-4 array (samples, rows, cols, "
                             f"channels). Received shape {self.x.shape}")
        channel_axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[channel_axis] not in (1, 3, 4):
            warnings.warn(f"NumpyArrayIterator uses data_format={data_format!r} (channels on "
                          f"axis {channel_axis}), which expects 1, 3 or 4 channels; the images "
                          f"have shape {self.x.shape}.", stacklevel=3)
        self.y = None if y is None else np.asarray(y)
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.x.shape[1:], dtype=self.dtype)
        for i, j in enumerate(index_array):
            batch_x[i] = _augment(self.image_data_generator, self.x[j].astype(self.dtype))
        if self.save_to_dir:
            _save_batch(batch_x, index_array, self.data_format, self.save_to_dir,
                        self.save_prefix, self.save_format, 1e4)
        inputs = [batch_x] + [m[index_array] for m in self.x_misc] if self.x_misc else batch_x
        if self.y is None:
            return inputs
        if self.sample_weight is None:
            return inputs, self.y[index_array]
        return inputs, self.y[index_array], self.sample_weight[index_array]


class _FileBatches:
    """Loading, augmenting and labelling batches of image files (directory and dataframe)."""

    def _set_processing_attrs(self, image_data_generator, target_size, color_mode, data_format,
                              save_to_dir, save_prefix, save_format, subset, interpolation,
                              keep_aspect_ratio):
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.keep_aspect_ratio = keep_aspect_ratio
        channels = {"rgb": 3, "rgba": 4, "grayscale": 1}.get(color_mode)
        if channels is None:
            raise ValueError(f"Invalid color_mode {color_mode!r}; expected 'rgb', 'rgba' or "
                             "'grayscale'.")
        self.color_mode = color_mode
        self.data_format = data_format
        self.image_shape = (self.target_size + (channels,) if data_format == "channels_last"
                            else (channels,) + self.target_size)
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        self.interpolation = interpolation
        if subset is None:
            self.split = None
        elif subset in ("training", "validation"):
            fraction = image_data_generator._validation_split
            self.split = (0, fraction) if subset == "validation" else (fraction, 1)
        else:
            raise ValueError(f"Invalid subset name {subset!r}; expected 'training' or "
                             "'validation'.")
        self.subset = subset

    def _get_batches_of_transformed_samples(self, index_array):
        batch_x = np.zeros((len(index_array),) + self.image_shape, dtype=self.dtype)
        for i, j in enumerate(index_array):
            img = image_utils.load_img(self.filepaths[j], color_mode=self.color_mode,
                                       target_size=self.target_size,
                                       interpolation=self.interpolation,
                                       keep_aspect_ratio=self.keep_aspect_ratio)
            x = image_utils.img_to_array(img, data_format=self.data_format)
            img.close()
            batch_x[i] = _augment(self.image_data_generator, x)
        if self.save_to_dir:
            _save_batch(batch_x, index_array, self.data_format, self.save_to_dir,
                        self.save_prefix, self.save_format, 1e7)
        mode = self.class_mode
        if mode == "input":
            batch_y = batch_x.copy()
        elif mode in ("binary", "sparse"):
            batch_y = np.asarray([self.classes[j] for j in index_array], dtype=self.dtype)
        elif mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)), dtype=self.dtype)
            for i, j in enumerate(index_array):
                batch_y[i, self.classes[j]] = 1.0
        elif mode == "multi_output":
            batch_y = [output[index_array] for output in self.labels]
        elif mode == "raw":
            batch_y = self.labels[index_array]
        else:
            return batch_x
        if self.sample_weight is None:
            return batch_x, batch_y
        return batch_x, batch_y, self.sample_weight[index_array]


def _valid_files(directory, formats, follow_links):
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda w: w[0]):
        for name in sorted(files):
            if name.lower().endswith(".tiff"):
                warnings.warn("Using '.tiff' files with multiple bands will cause distortion.",
                              stacklevel=4)
            if name.lower().endswith(formats):
                yield root, name


class DirectoryIterator(_FileBatches, Iterator):
    """Augmented batches of the images in class subdirectories (`flow_from_directory`)."""

    allowed_class_modes = {"categorical", "binary", "sparse", "input", None}

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png",
                 follow_links=False, subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype=None):
        data_format = data_format or config.image_data_format()
        self._set_processing_attrs(image_data_generator, target_size, color_mode, data_format,
                                   save_to_dir, save_prefix, save_format, subset, interpolation,
                                   keep_aspect_ratio)
        if class_mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode {class_mode!r}; expected one of "
                             f"{sorted(self.allowed_class_modes, key=str)}.")
        if not os.path.isdir(directory):
            raise ValueError(f"flow_from_directory: directory {os.fspath(directory)!r} does not "
                             "exist or is not a directory.")
        self.directory = directory
        self.class_mode = class_mode
        self.dtype = dtype or config.floatx()
        if not classes:
            classes = [d for d in sorted(os.listdir(directory))
                       if os.path.isdir(os.path.join(directory, d))]
        self.num_classes = len(classes)
        self.class_indices = {name: i for i, name in enumerate(classes)}
        self.filenames, labels = [], []
        for name in classes:
            folder = os.path.join(directory, name)
            files = list(_valid_files(folder, self.white_list_formats, follow_links))
            if self.split:
                files = files[int(self.split[0] * len(files)):int(self.split[1] * len(files))]
            for root, fname in files:
                self.filenames.append(os.path.join(name, os.path.relpath(os.path.join(root, fname),
                                                                         folder)))
                labels.append(self.class_indices[name])
        self.samples = len(self.filenames)
        self.classes = np.asarray(labels, dtype="int32")
        io_utils.print_msg(f"Found {self.samples} images belonging to {self.num_classes} "
                           "classes.")
        self._filepaths = [os.path.join(directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes

    @property
    def sample_weight(self):
        return None


class DataFrameIterator(_FileBatches, Iterator):
    """Augmented batches of the image files listed in a pandas DataFrame."""

    allowed_class_modes = {"binary", "categorical", "input", "multi_output", "raw", "sparse",
                           None}

    def __init__(self, dataframe, directory=None, image_data_generator=None, x_col="filename",
                 y_col="class", weight_col=None, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format="channels_last", save_to_dir=None, save_prefix="",
                 save_format="png", subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, dtype="float32", validate_filenames=True):
        self._set_processing_attrs(image_data_generator, target_size, color_mode, data_format,
                                   save_to_dir, save_prefix, save_format, subset, interpolation,
                                   keep_aspect_ratio)
        df = dataframe.copy()
        self.directory = directory or ""
        self.class_mode = class_mode
        self.dtype = dtype
        self._check_params(df, x_col, y_col, weight_col, classes)
        if validate_filenames:
            df = self._filter_valid_filepaths(df, x_col)
        labelled = class_mode not in ("input", "multi_output", "raw", None)
        if labelled:
            df, classes = self._filter_classes(df, y_col, classes)
            self.class_indices = {name: i for i, name in enumerate(classes)}
        if self.split:
            n = len(df)
            df = df.iloc[int(self.split[0] * n):int(self.split[1] * n), :]
        if labelled:
            self.classes = [[self.class_indices[c] for c in label]
                            if isinstance(label, (list, tuple)) else self.class_indices[label]
                            for label in df[y_col]]
        self.filenames = df[x_col].tolist()
        self._sample_weight = df[weight_col].values if weight_col else None
        if class_mode == "multi_output":
            self._targets = [np.array(df[col].tolist()) for col in y_col]
        if class_mode == "raw":
            self._targets = df[y_col].values
        self.samples = len(self.filenames)
        checked = "validated" if validate_filenames else "non-validated"
        suffix = f" belonging to {len(classes)} classes" if labelled else ""
        io_utils.print_msg(f"Found {self.samples} {checked} image filenames{suffix}.")
        self._filepaths = [os.path.join(self.directory, f) for f in self.filenames]
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _check_params(self, df, x_col, y_col, weight_col, classes):
        mode = self.class_mode
        if mode not in self.allowed_class_modes:
            raise ValueError(f"Invalid class_mode {mode!r}; expected one of "
                             f"{sorted(self.allowed_class_modes, key=str)}.")
        if mode == "multi_output" and not isinstance(y_col, list):
            raise TypeError(f"With class_mode='multi_output', y_col must be a list. Received "
                            f"{type(y_col).__name__}.")
        if not all(isinstance(v, str) for v in df[x_col]):
            raise TypeError(f"All values in column x_col={x_col!r} must be strings.")
        if mode in ("binary", "sparse") and not all(isinstance(v, str) for v in df[y_col]):
            raise TypeError(f"With class_mode={mode!r}, the y_col={y_col!r} values must be "
                            "strings.")
        if mode == "binary":
            count = len(set(classes)) if classes else df[y_col].nunique()
            if count != 2:
                raise ValueError("With class_mode='binary' there must be 2 classes. "
                                 f"Found {count}.")
        if mode == "categorical" and not all(isinstance(v, (str, list, tuple)) for v in df[y_col]):
            raise TypeError(f"With class_mode='categorical', the y_col={y_col!r} values must be "
                            "strings, lists or tuples.")
        if classes and mode in ("input", "multi_output", "raw", None):
            warnings.warn(f"`classes` is ignored with class_mode={mode!r}.", stacklevel=4)
        if weight_col and not issubclass(df[weight_col].dtype.type, np.number):
            raise TypeError(f"Column weight_col={weight_col!r} must be numeric.")

    @staticmethod
    def _filter_classes(df, y_col, classes):
        df = df.copy()
        if classes:
            classes = list(collections.OrderedDict.fromkeys(classes))

            def keep(labels):
                if isinstance(labels, (list, tuple)):
                    return [c for c in labels if c in classes] or None
                if isinstance(labels, str):
                    return labels if labels in classes else None
                raise TypeError(f"Expected a string, list or tuple in column {y_col!r}, found "
                                f"{type(labels).__name__}.")

            df[y_col] = df[y_col].apply(keep)
        else:
            found = set()
            for value in df[y_col]:
                found.update(value if isinstance(value, (list, tuple)) else [value])
            classes = sorted(found)
        return df.dropna(subset=[y_col]), classes

    def _filter_valid_filepaths(self, df, x_col):
        paths = df[x_col].map(lambda name: os.path.join(self.directory, name))
        mask = paths.apply(lambda p: p.lower().endswith(self.white_list_formats)
                           and os.path.isfile(p))
        invalid = int((~mask).sum())
        if invalid:
            warnings.warn(f"Found {invalid} invalid image filename(s) in x_col={x_col!r}; they "
                          "are ignored.", stacklevel=4)
        return df[mask]

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self._targets if self.class_mode in ("multi_output", "raw") else self.classes

    @property
    def sample_weight(self):
        return self._sample_weight
