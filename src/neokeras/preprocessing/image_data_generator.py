"""`ImageDataGenerator` (Keras 2): real-time image augmentation and normalization."""

import warnings

import numpy as np

from neokeras import config
from neokeras.preprocessing import image_transforms as T
from neokeras.preprocessing.image_iterators import (DataFrameIterator, DirectoryIterator,
                                                    NumpyArrayIterator)


class ImageDataGenerator:
    """Generates batches of images with random augmentation and normalization.

    Random parameters are drawn from numpy's global random state in tf-keras's order, so the
    same seeds give the same augmented images.

    Args:
        featurewise_center: Subtract the dataset mean (from `fit`).
        samplewise_center: Subtract each image's mean.
        featurewise_std_normalization: Divide by the dataset std (from `fit`).
        samplewise_std_normalization: Divide each image by its std.
        zca_whitening: Apply ZCA whitening (from `fit`).
        zca_epsilon: Epsilon of the ZCA whitening.
        rotation_range: Degrees of random rotation.
        width_shift_range: Horizontal shift: fraction of the width (< 1), pixels (>= 1), or a
            list of allowed values.
        height_shift_range: Vertical shift, likewise.
        brightness_range: `(low, high)` brightness factors.
        shear_range: Shear angle in degrees.
        zoom_range: Float `z` (range `[1 - z, 1 + z]`) or `[low, high]`.
        channel_shift_range: Range of random channel shifts.
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"`.
        cval: Fill value with `fill_mode="constant"`.
        horizontal_flip: Randomly flip horizontally.
        vertical_flip: Randomly flip vertically.
        rescale: Factor multiplied into the data after augmentation (e.g. `1/255`).
        preprocessing_function: Function applied to each image before the other
            normalizations.
        data_format: `"channels_last"` or `"channels_first"`.
        validation_split: Fraction of images reserved for `subset="validation"`.
        interpolation_order: Spline order of the geometric transforms.
        dtype: Dtype of the generated arrays.
    """

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, zca_epsilon=1e-6, rotation_range=0, width_shift_range=0.0,
                 height_shift_range=0.0, brightness_range=None, shear_range=0.0, zoom_range=0.0,
                 channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None,
                 data_format=None, validation_split=0.0, interpolation_order=1, dtype=None):
        data_format = data_format or config.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError("ImageDataGenerator: data_format must be 'channels_last' or "
                             f"'channels_first'. Received: {data_format!r}")
        if validation_split and not 0 < validation_split < 1:
            raise ValueError("ImageDataGenerator: validation_split must be strictly between 0 "
                             f"and 1. Received: {validation_split}")
        if isinstance(zoom_range, (float, int)):
            zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif len(zoom_range) == 2 and all(isinstance(v, (float, int)) for v in zoom_range):
            zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError("ImageDataGenerator: zoom_range must be a float or two floats. "
                             f"Received: {zoom_range!r}")
        if brightness_range is not None and (not isinstance(brightness_range, (tuple, list))
                                             or len(brightness_range) != 2):
            raise ValueError("ImageDataGenerator: brightness_range must be two floats. "
                             f"Received: {brightness_range!r}")
        if zca_whitening:
            if not featurewise_center:
                featurewise_center = True
                warnings.warn("ImageDataGenerator: zca_whitening turns featurewise_center on.",
                              stacklevel=2)
            if featurewise_std_normalization:
                featurewise_std_normalization = False
                warnings.warn("ImageDataGenerator: zca_whitening turns "
                              "featurewise_std_normalization off.", stacklevel=2)
        if featurewise_std_normalization and not featurewise_center:
            featurewise_center = True
            warnings.warn("ImageDataGenerator: featurewise_std_normalization turns "
                          "featurewise_center on.", stacklevel=2)
        if samplewise_std_normalization and not samplewise_center:
            samplewise_center = True
            warnings.warn("ImageDataGenerator: samplewise_std_normalization turns "
                          "samplewise_center on.", stacklevel=2)
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.brightness_range = brightness_range
        self.shear_range = shear_range
        self.zoom_range = zoom_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.data_format = data_format
        self.interpolation_order = interpolation_order
        self.dtype = dtype or config.floatx()
        self.channel_axis, self.row_axis, self.col_axis = (
            (3, 1, 2) if data_format == "channels_last" else (1, 2, 3))
        self._validation_split = validation_split
        self.mean = None
        self.std = None
        self.zca_whitening_matrix = None

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
             subset=None):
        """Augmented batches of in-memory images `x` (and labels `y`)."""
        return NumpyArrayIterator(x, y, self, batch_size=batch_size, shuffle=shuffle,
                                  sample_weight=sample_weight, seed=seed,
                                  data_format=self.data_format, save_to_dir=save_to_dir,
                                  save_prefix=save_prefix, save_format=save_format,
                                  ignore_class_split=ignore_class_split, subset=subset,
                                  dtype=self.dtype)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32, shuffle=True,
                            seed=None, save_to_dir=None, save_prefix="", save_format="png",
                            follow_links=False, subset=None, interpolation="nearest",
                            keep_aspect_ratio=False):
        """Augmented batches of the images in `directory/<class>/...`."""
        return DirectoryIterator(directory, self, target_size=target_size, color_mode=color_mode,
                                 keep_aspect_ratio=keep_aspect_ratio, classes=classes,
                                 class_mode=class_mode, data_format=self.data_format,
                                 batch_size=batch_size, shuffle=shuffle, seed=seed,
                                 save_to_dir=save_to_dir, save_prefix=save_prefix,
                                 save_format=save_format, follow_links=follow_links,
                                 subset=subset, interpolation=interpolation, dtype=self.dtype)

    def flow_from_dataframe(self, dataframe, directory=None, x_col="filename", y_col="class",
                            weight_col=None, target_size=(256, 256), color_mode="rgb",
                            classes=None, class_mode="categorical", batch_size=32, shuffle=True,
                            seed=None, save_to_dir=None, save_prefix="", save_format="png",
                            subset=None, interpolation="nearest", validate_filenames=True,
                            **kwargs):
        """Augmented batches of the image files named in a pandas DataFrame column."""
        for old, hint in (("has_ext", "file names must match the files on disk exactly"),
                          ("sort", "batches follow the DataFrame order when shuffle=False"),
                          ("drop_duplicates", "use DataFrame.drop_duplicates")):
            if kwargs.pop(old, None) is not None:
                warnings.warn(f"flow_from_dataframe: `{old}` is deprecated; {hint}.",
                              DeprecationWarning, stacklevel=2)
        if kwargs:
            raise TypeError(f"flow_from_dataframe: unrecognized arguments {sorted(kwargs)}.")
        if class_mode == "other":
            warnings.warn("flow_from_dataframe: class_mode='other' is deprecated; use 'raw'.",
                          DeprecationWarning, stacklevel=2)
            class_mode = "raw"
        return DataFrameIterator(dataframe, directory, self, x_col=x_col, y_col=y_col,
                                 weight_col=weight_col, target_size=target_size,
                                 color_mode=color_mode, classes=classes, class_mode=class_mode,
                                 data_format=self.data_format, batch_size=batch_size,
                                 shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
                                 save_prefix=save_prefix, save_format=save_format, subset=subset,
                                 interpolation=interpolation,
                                 validate_filenames=validate_filenames, dtype=self.dtype)

    def standardize(self, x):
        """Applies the normalizations (in place where possible) to one image or a batch."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        if self.samplewise_center:
            x -= np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, keepdims=True) + 1e-6
        for flag, stat, name in ((self.featurewise_center, self.mean, "featurewise_center"),
                                 (self.featurewise_std_normalization, self.std,
                                  "featurewise_std_normalization"),
                                 (self.zca_whitening, self.zca_whitening_matrix,
                                  "zca_whitening")):
            if not flag:
                continue
            if stat is None:
                warnings.warn(f"ImageDataGenerator specifies {name} but was not fit on any "
                              "data; call `.fit(x)` first.", stacklevel=2)
            elif name == "featurewise_center":
                x -= stat
            elif name == "featurewise_std_normalization":
                x /= stat + 1e-6
            else:
                flat = x.reshape(-1, np.prod(x.shape[-3:]))
                x = np.reshape(flat @ stat, x.shape)
        return x

    def _shift(self, shift_range, size):
        try:
            shift = np.random.choice(shift_range)
            shift *= np.random.choice([-1, 1])
        except ValueError:  # a scalar range: draw uniformly
            shift = np.random.uniform(-shift_range, shift_range)
        if np.max(shift_range) < 1:
            shift *= size
        return shift

    def get_random_transform(self, img_shape, seed=None):
        """Draws the random parameters for one image of shape `img_shape` (a dict)."""
        rows, cols = img_shape[self.row_axis - 1], img_shape[self.col_axis - 1]
        if seed is not None:
            np.random.seed(seed)
        theta = np.random.uniform(-self.rotation_range, self.rotation_range) \
            if self.rotation_range else 0
        tx = self._shift(self.height_shift_range, rows) if self.height_shift_range else 0
        ty = self._shift(self.width_shift_range, cols) if self.width_shift_range else 0
        shear = np.random.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = np.random.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = (np.random.random() < 0.5) * self.horizontal_flip
        flip_vertical = (np.random.random() < 0.5) * self.vertical_flip
        channel_shift = None
        if self.channel_shift_range != 0:
            channel_shift = np.random.uniform(-self.channel_shift_range, self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = np.random.uniform(self.brightness_range[0], self.brightness_range[1])
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """Applies the parameters of `get_random_transform` to one 3D image."""
        p = transform_parameters
        rows, cols, channels = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        x = T.apply_affine_transform(x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0),
                                     p.get("shear", 0), p.get("zx", 1), p.get("zy", 1),
                                     row_axis=rows, col_axis=cols, channel_axis=channels,
                                     fill_mode=self.fill_mode, cval=self.cval,
                                     order=self.interpolation_order)
        if p.get("channel_shift_intensity") is not None:
            x = T.apply_channel_shift(x, p["channel_shift_intensity"], channels)
        if p.get("flip_horizontal", False):
            x = T.flip_axis(x, cols)
        if p.get("flip_vertical", False):
            x = T.flip_axis(x, rows)
        if p.get("brightness") is not None:
            x = T.apply_brightness_shift(x, p["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One randomly augmented copy of the 3D image `x`."""
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the dataset statistics (mean, std, ZCA matrix) the normalizations use.

        Args:
            x: Images, rank 4.
            augment: Fit on `rounds` randomly augmented copies.
            rounds: Number of augmented copies with `augment`.
            seed: Random seed.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"ImageDataGenerator.fit expects rank-4 images. Received shape "
                             f"{x.shape}")
        if x.shape[self.channel_axis] not in (1, 3, 4):
            warnings.warn(f"ImageDataGenerator.fit: data_format={self.data_format!r} expects 1, "
                          f"3 or 4 channels on axis {self.channel_axis}; received shape "
                          f"{x.shape}.", stacklevel=2)
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            copies = np.zeros((rounds * x.shape[0],) + x.shape[1:], dtype=self.dtype)
            for r in range(rounds):
                for i in range(x.shape[0]):
                    copies[i + r * x.shape[0]] = self.random_transform(x[i])
            x = copies
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        axes = (0, self.row_axis, self.col_axis)
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            n = len(x)
            u, s, _ = np.linalg.svd(np.reshape(x, (n, -1)).T, full_matrices=False)
            self.zca_whitening_matrix = (u * (np.sqrt(n) / (s + self.zca_epsilon))) @ u.T
