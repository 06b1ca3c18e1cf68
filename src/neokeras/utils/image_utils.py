"""Images as files, PIL images and numpy arrays: load, save, convert and resize.

Pillow is optional: it is imported when a function that reads or writes image files runs.
Resizing is numpy only, with the sampling of `keras.ops.image.resize` (half-pixel centers, no
antialiasing), so a pipeline gives the same pixels as Keras on the same images.
"""

import io
import os
import pathlib
import warnings

import numpy as np

from neokeras import config

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5")
_PIL_METHODS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def pil_image():
    """The `PIL.Image` module, or an ImportError saying how to install it."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(
            "Reading and writing images needs Pillow: `pip install pillow`.") from None
    return Image


def _data_format(data_format):
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("data_format must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return data_format


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Converts a 3D array `(height, width, channels)` to a PIL image.

    Args:
        x: Array of rank 3 with 1, 3 or 4 channels.
        data_format: `"channels_last"` or `"channels_first"`; the configured one when None.
        scale: Rescale the values to [0, 255] (min to 0, max to 255).
        dtype: Working float dtype; `floatx()` when None.
    """
    image = pil_image()
    x = np.array(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(f"array_to_img expects a single image of rank 3. Received shape {x.shape}")
    if _data_format(data_format) == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    channels = x.shape[2]
    if channels in (3, 4):
        return image.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:  # 16/32-bit grayscale
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"array_to_img supports 1, 3 or 4 channels. Received {channels} channels "
                     f"(shape {x.shape}).")


def img_to_array(img, data_format=None, dtype=None):
    """Converts a PIL image (or array-like image) to a 3D float array.

    Returns:
        `(height, width, channels)` (or channels first), dtype `floatx()` unless given.
    """
    x = np.asarray(img, dtype=dtype or config.floatx())
    channels_first = _data_format(data_format) == "channels_first"
    if x.ndim == 2:
        return x[None] if channels_first else x[:, :, None]
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if channels_first else x
    raise ValueError(f"img_to_array expects an image of rank 2 or 3. Received shape {x.shape}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Saves an image array to a file (format from the extension unless `file_format`).

    Extra keyword arguments go to `PIL.Image.save` (e.g. `quality=90`).
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower() or None
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("save_img: JPEG cannot store an alpha channel; saving as RGB.", stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def load_img(path, grayscale=False, color_mode="rgb", target_size=None,
             interpolation="nearest", keep_aspect_ratio=False):
    """Loads an image file into a PIL image.

    Args:
        path: Path (str, bytes, `pathlib.Path`) or an `io.BytesIO`.
        grayscale: Keras 2 spelling of `color_mode="grayscale"`.
        color_mode: `"rgb"`, `"rgba"` or `"grayscale"`.
        target_size: `(height, width)` to resize to, or None.
        interpolation: PIL resampling: `"nearest"`, `"bilinear"`, `"bicubic"`, `"hamming"`,
            `"box"` or `"lanczos"`.
        keep_aspect_ratio: Center-crop to the target aspect ratio before resizing.
    """
    image = pil_image()
    if grayscale:
        warnings.warn("load_img: grayscale=True is deprecated; use color_mode='grayscale'.",
                      DeprecationWarning, stacklevel=2)
        color_mode = "grayscale"
    if color_mode not in ("grayscale", "rgb", "rgba"):
        raise ValueError("load_img: color_mode must be 'grayscale', 'rgb' or 'rgba'. "
                         f"Received: color_mode={color_mode!r}")
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (str, bytes, os.PathLike)):
        with open(path, "rb") as f:
            data = f.read()
        try:
            img = image.open(io.BytesIO(data))
            img.load()
        except (OSError, SyntaxError, ValueError) as e:
            raise ValueError(f"load_img: cannot read {os.fsdecode(path)!r} as an image "
                             f"({e}). Is the file corrupt or not an image?") from None
    else:
        raise TypeError(f"load_img: path must be a path or an io.BytesIO. Received {type(path)}")
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif img.mode != color_mode.upper():
        img = img.convert(color_mode.upper())
    if target_size is None:
        return img
    size = (int(target_size[1]), int(target_size[0]))
    if img.size == size:
        return img
    if interpolation not in _PIL_METHODS:
        raise ValueError(f"load_img: interpolation must be one of {_PIL_METHODS}. "
                         f"Received: interpolation={interpolation!r}")
    resample = getattr(image.Resampling, interpolation.upper())
    if not keep_aspect_ratio:
        return img.resize(size, resample)
    width, height = img.size
    crop_w = min(width, height * size[0] // size[1])
    crop_h = min(height, width * size[1] // size[0])
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    return img.resize(size, resample, box=[left, top, left + crop_w, top + crop_h])


def _kernel(interpolation):
    def lanczos(radius):
        def k(x):
            with np.errstate(divide="ignore", invalid="ignore"):
                y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius) / (np.pi ** 2 * x ** 2)
            return np.where(x > radius, 0.0, np.where(x > 1e-3, y, 1.0))
        return k

    def keys_cubic(x):
        near = ((1.5 * x - 2.5) * x) * x + 1.0
        far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
        return np.where(x >= 2.0, 0.0, np.where(x >= 1.0, far, near))

    return {"bilinear": lambda x: np.maximum(0.0, 1.0 - x), "bicubic": keys_cubic,
            "lanczos3": lanczos(3.0), "lanczos5": lanczos(5.0)}[interpolation]


def _weights(n_in, n_out, interpolation):
    """`(n_in, n_out)` matrix mapping an axis of length n_in to n_out."""
    scale = n_in / n_out
    if interpolation == "area":
        left = np.arange(n_out) * scale
        lo = np.maximum(left[None, :], np.arange(n_in)[:, None])
        hi = np.minimum(left[None, :] + scale, np.arange(n_in)[:, None] + 1.0)
        w = np.maximum(0.0, hi - lo)
    elif interpolation == "bicubic":
        return _bicubic_weights(n_in, n_out)
    else:
        sample = ((np.arange(n_out, dtype="float32") + np.float32(0.5)) * np.float32(scale)
                  - np.float32(0.5)).astype("float64")
        w = _kernel(interpolation)(np.abs(sample[None, :] - np.arange(n_in)[:, None]))
    total = w.sum(axis=0, keepdims=True)
    usable = np.abs(total) > 1000 * np.finfo("float32").eps
    return np.where(usable, w / np.where(total == 0, 1, total), 0.0)


def _bicubic_weights(n_in, n_out):
    """Keys cubic (a=-0.5) with TensorFlow's 1/1024-quantized offsets; taps outside the image
    get no weight and the rest are renormalized (`tf.image.resize(method="bicubic")`)."""
    sample = ((np.arange(n_out, dtype="float32") + np.float32(0.5)) * np.float32(n_in / n_out)
              - np.float32(0.5))
    base = np.floor(sample).astype("int64")
    offset = np.rint((sample - base) * 1024).astype("int64")  # lrintf: half to even
    w = np.zeros((n_in, n_out))
    for tap, distance in ((-1, 1024 + offset), (0, offset), (1, 1024 - offset),
                          (2, 2048 - offset)):
        x = distance.astype("float32") / np.float32(1024)
        weight = _kernel("bicubic")(x.astype("float64")).astype("float32")
        index = base + tap
        inside = (index >= 0) & (index < n_in)
        np.add.at(w, (index[inside], np.arange(n_out)[inside]), weight[inside])
    total = w.sum(axis=0, keepdims=True)
    return w / np.where(total == 0, 1, total)


def resize(images, size, interpolation="bilinear", data_format="channels_last"):
    """Resizes `(h, w, c)` or `(n, h, w, c)` numpy images to `size = (height, width)`."""
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {RESIZE_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}")
    x = np.asarray(images)
    if data_format == "channels_first":
        x = np.moveaxis(x, -3, -1)
    h_axis = x.ndim - 3
    height, width = x.shape[h_axis], x.shape[h_axis + 1]
    out_h, out_w = int(size[0]), int(size[1])
    dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.dtype("float32")
    if interpolation == "nearest":
        # float32 arithmetic, as TensorFlow and JAX compute the sampling positions.
        rows = np.floor((np.arange(out_h, dtype="float32") + np.float32(0.5))
                        * np.float32(height / out_h)).astype("int64")
        cols = np.floor((np.arange(out_w, dtype="float32") + np.float32(0.5))
                        * np.float32(width / out_w)).astype("int64")
        out = np.take(np.take(x, np.minimum(rows, height - 1), axis=h_axis),
                      np.minimum(cols, width - 1), axis=h_axis + 1)
    else:
        x = x.astype(dtype)
        if (out_h, out_w) != (height, width):
            wh = _weights(height, out_h, interpolation).astype(dtype)
            ww = _weights(width, out_w, interpolation).astype(dtype)
            out = np.einsum("...hwc,hi,wj->...ijc", x, wh, ww, optimize=True)
        else:
            out = x
    if data_format == "channels_first":
        out = np.moveaxis(out, -1, -3)
    return out


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", **kwargs):
    """Resizes images to `size` after center-cropping them to its aspect ratio (no distortion).

    Args:
        x: Image `(h, w, c)` or batch `(n, h, w, c)` (channels first with `data_format`).
        size: `(height, width)`.
        interpolation: One of `RESIZE_INTERPOLATIONS`.
        data_format: `"channels_last"` or `"channels_first"`.
    """
    kwargs.pop("backend_module", None)
    if kwargs:
        raise TypeError(f"smart_resize got unexpected keyword arguments {sorted(kwargs)}.")
    if len(size) != 2:
        raise ValueError(f"smart_resize: size must be (height, width). Received: size={size}")
    x = np.asarray(x)
    if not 3 <= x.ndim <= 4:
        raise ValueError("smart_resize expects an image (h, w, c) or a batch (n, h, w, c). "
                         f"Received shape {x.shape}")
    first = data_format == "channels_first"
    height, width = (x.shape[-2], x.shape[-1]) if first else (x.shape[-3], x.shape[-2])
    crop = aspect_crop(height, width, size)
    top, left, crop_h, crop_w = crop
    if first:
        x = x[..., top:top + crop_h, left:left + crop_w]
    else:
        x = x[..., top:top + crop_h, left:left + crop_w, :]
    return resize(x, size, interpolation, data_format)


def aspect_crop(height, width, size):
    """`(top, left, crop_height, crop_width)` of the centered crop with the aspect of `size`."""
    target_h, target_w = size
    crop_h = max(min(height, int(float(width * target_h) / target_w)), 1)
    crop_w = max(min(width, int(float(height * target_w) / target_h)), 1)
    return int(float(height - crop_h) / 2), int(float(width - crop_w) / 2), crop_h, crop_w


def aspect_pad(image, size):
    """Pads `(h, w, c)` with zeros, centered, to the aspect ratio of `size`."""
    height, width = image.shape[0], image.shape[1]
    target_h, target_w = size
    pad_h = max(height, int(float(width * target_h) / target_w))
    pad_w = max(width, int(float(height * target_w) / target_h))
    top, left = (pad_h - height) // 2, (pad_w - width) // 2
    out = np.zeros((pad_h, pad_w) + image.shape[2:], image.dtype)
    out[top:top + height, left:left + width] = image
    return out
