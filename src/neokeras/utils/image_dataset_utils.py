"""`image_dataset_from_directory`: a labelled image dataset from a class-per-folder tree."""

import numpy as np

from neokeras import config
from neokeras.utils import dataset_utils, image_utils
from neokeras.utils.batch_dataset import BatchDataset

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"rgb": 3, "rgba": 4, "grayscale": 1}
_CALLER = "image_dataset_from_directory"


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256),
                                 shuffle=True, seed=None, validation_split=None, subset=None,
                                 interpolation="bilinear", follow_links=False,
                                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, format="tf", verbose=True):
    """Builds a dataset of `(images, labels)` batches from image files in subdirectories.

    `directory/class_a/*.png, directory/class_b/*.png` gives classes `["class_a", "class_b"]`.
    Files are listed, shuffled and split exactly as Keras does (the same seed gives the same
    `file_paths` and subsets); each epoch then visits them in a new seeded order.

    Args:
        directory: Root directory.
        labels: `"inferred"` (from the subdirectories), None, or one integer label per file
            (files sorted alphanumerically).
        label_mode: `"int"`, `"categorical"` (one-hot), `"binary"` (float `(n, 1)`), or None.
        class_names: With inferred labels, the subdirectories to use, in label order.
        color_mode: `"rgb"`, `"rgba"` or `"grayscale"`.
        batch_size: Samples per batch; None yields single samples.
        image_size: `(height, width)` the images are resized to.
        shuffle: Shuffle the files (and each epoch's order).
        seed: Seed of the shuffles; needed with `validation_split` and `shuffle`.
        validation_split: Fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns both datasets).
        interpolation: Resize method: `"bilinear"`, `"nearest"`, `"bicubic"`, `"area"`,
            `"lanczos3"` or `"lanczos5"`.
        follow_links: Follow symbolic links to subdirectories.
        crop_to_aspect_ratio: Center-crop to the target aspect ratio before resizing.
        pad_to_aspect_ratio: Resize keeping the aspect ratio and pad with zeros.
        data_format: Image layout; `keras.config.image_data_format()` when None.
        format: `"tf"` or `"grain"`, accepted for compatibility: both give the same dataset.
        verbose: Print how many files and classes were found.

    Returns:
        A `BatchDataset` (two with `subset="both"`) with `class_names` and `file_paths`.
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, _CALLER)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if color_mode not in _CHANNELS:
        raise ValueError(f"{_CALLER}: color_mode must be 'rgb', 'rgba' or 'grayscale'. "
                         f"Received: color_mode={color_mode!r}")
    if isinstance(image_size, (int, np.integer)):
        image_size = (int(image_size), int(image_size))
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(f"{_CALLER}: image_size must be (height, width). "
                         f"Received: image_size={image_size!r}")
    image_size = (int(image_size[0]), int(image_size[1]))
    interpolation = interpolation.lower()
    if interpolation not in image_utils.RESIZE_INTERPOLATIONS:
        raise ValueError(f"{_CALLER}: interpolation must be one of "
                         f"{image_utils.RESIZE_INTERPOLATIONS}. Received: {interpolation!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(f"{_CALLER}: only one of crop_to_aspect_ratio and pad_to_aspect_ratio "
                         "can be True.")
    if format not in ("tf", "grain"):
        raise ValueError(f"{_CALLER}: format must be 'tf' or 'grain'. Received: {format!r}")
    data_format = config.image_data_format() if data_format is None else data_format
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed, _CALLER)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(
        directory, labels, ALLOWLIST_FORMATS, class_names, shuffle, seed, follow_links, verbose,
        caller=_CALLER)
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f"{_CALLER}: label_mode='binary' needs exactly 2 classes. "
                         f"Received: class_names={class_names}")
    load = _ImageLoader(_CHANNELS[color_mode], image_size, interpolation, data_format,
                        crop_to_aspect_ratio, pad_to_aspect_ratio)
    datasets = []
    for part_paths, part_labels, training in dataset_utils.subsets(
            _CALLER, directory, paths, labels, validation_split, subset, "images"):
        datasets.append(_dataset(part_paths, part_labels, label_mode, class_names, load,
                                 batch_size, shuffle and training, seed))
    return datasets if subset == "both" else datasets[0]


def _dataset(paths, labels, label_mode, class_names, load, batch_size, shuffle, seed):
    num_classes = len(class_names) if class_names else 0

    def sample(i):
        image = load(paths[i])
        if label_mode is None:
            return image
        return image, dataset_utils.encode_label(labels[i], label_mode, num_classes)

    dataset = BatchDataset(len(paths), sample, batch_size, shuffle, seed)
    dataset.class_names = class_names
    dataset.file_paths = list(paths)
    return dataset


class _ImageLoader:
    """Decodes one file and resizes it as `tf.image.resize` / `resize_with_pad` do."""

    def __init__(self, channels, size, interpolation, data_format, crop, pad):
        self.channels, self.size, self.interpolation = channels, size, interpolation
        self.data_format, self.crop, self.pad = data_format, crop, pad

    def __call__(self, path):
        image = _decode(path, self.channels)
        if self.crop:
            image = image_utils.smart_resize(image, self.size, self.interpolation)
        elif self.pad:
            image = _resize_with_pad(image, self.size, self.interpolation)
        else:
            image = image_utils.resize(image, self.size, self.interpolation)
        if self.interpolation != "nearest":
            image = image.astype("float32")
        return image.transpose(2, 0, 1) if self.data_format == "channels_first" else image


def _decode(path, channels):
    """uint8 `(h, w, channels)` pixels of an image file (first frame of an animation)."""
    pil = image_utils.pil_image()
    try:
        with pil.open(path) as img:
            img.seek(0)
            mode = {1: "L", 3: "RGB", 4: "RGBA"}[channels]
            if img.mode == "P":
                img = img.convert("RGBA")
            if channels == 1 and img.format == "PNG" and img.mode in ("RGB", "RGBA"):
                array = _png_gray(np.asarray(img))
            else:
                array = np.asarray(img if img.mode == mode else img.convert(mode))
    except (OSError, SyntaxError, ValueError) as e:
        raise ValueError(f"{_CALLER}: cannot decode the image file {path!r} ({e}). Remove or "
                         "replace the corrupt file.") from None
    if array.ndim == 2:
        array = array[:, :, None]
    if channels == 3 and array.shape[2] == 4:
        array = array[:, :, :3]
    return array


def _png_gray(rgb):
    """libpng's RGB->gray with the 0.299/0.587 weights TensorFlow's PNG decoder sets."""
    rgb = rgb[..., :3].astype("int64")
    gray = (9797 * rgb[..., 0] + 19234 * rgb[..., 1] + 3737 * rgb[..., 2]) >> 15
    flat = (rgb[..., 0] == rgb[..., 1]) & (rgb[..., 0] == rgb[..., 2])
    gray = np.where(flat, rgb[..., 0], gray)
    return gray.astype("uint8")


def _resize_with_pad(image, size, interpolation):
    """Fits the image inside `size` keeping its aspect ratio, then pads with zeros (centered)."""
    height, width = image.shape[0], image.shape[1]
    target_h, target_w = size
    ratio = max(width / target_w, height / target_h)
    new_h, new_w = int(height / ratio), int(width / ratio)
    resized = image_utils.resize(image, (new_h, new_w), interpolation)
    # The offsets come from the unrounded size, as in `tf.image.resize_with_pad`.
    top = max(0, int(np.floor((target_h - height / ratio) / 2)))
    left = max(0, int(np.floor((target_w - width / ratio) / 2)))
    out = np.zeros((target_h, target_w, image.shape[2]), resized.dtype)
    out[top:top + new_h, left:left + new_w] = resized
    return out
