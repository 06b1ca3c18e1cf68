"""Keras 2 image augmentation functions on single images (numpy), as tf-keras computes them.

Random draws use numpy's global random state in tf-keras's order, so a seeded program gives
the same images. Geometric transforms need scipy (imported when they run).
"""

import numpy as np

from neokeras.utils import image_utils


def _ndimage():
    try:
        from scipy import ndimage
    except ImportError:
        raise ImportError("Image transformations need SciPy: `pip install scipy`.") from None
    return ndimage


def flip_axis(x, axis):
    """`x` reversed along `axis`."""
    return np.flip(np.asarray(x), axis)


def transform_matrix_offset_center(matrix, x, y):
    """Conjugates a 3x3 homogeneous transform so it acts around the center of an x-by-y image."""
    o_x, o_y = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    to_center = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    back = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return to_center @ matrix @ back


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1, col_axis=2,
                           channel_axis=0, fill_mode="nearest", cval=0.0, order=1):
    """Rotates (degrees), shifts, shears (degrees) and zooms a 3D image around its center.

    Args:
        x: 3D image.
        theta: Rotation angle in degrees.
        tx, ty: Shifts along the row and column axes (pixels).
        shear: Shear angle in degrees.
        zx, zy: Zoom along the row and column axes.
        row_axis, col_axis, channel_axis: Axes of `x` (channels first or last).
        fill_mode: `"constant"`, `"nearest"`, `"reflect"` or `"wrap"` outside the image.
        cval: Fill value for `"constant"`.
        order: Spline interpolation order.
    """
    if len({row_axis, col_axis, channel_axis}) != 3:
        raise ValueError("apply_affine_transform: row_axis, col_axis and channel_axis must be "
                         "distinct.")
    if {row_axis, col_axis, channel_axis} != {0, 1, 2}:
        raise ValueError("apply_affine_transform: axes must be 0, 1 and 2. Received "
                         f"{(row_axis, col_axis, channel_axis)}")
    if x.ndim != 3:
        raise ValueError(f"apply_affine_transform expects a 3D image. Received shape {x.shape}")
    if channel_axis not in (0, 2):
        raise ValueError("apply_affine_transform: channel_axis must be first (0) or last (2).")
    parts = []
    if theta != 0:
        t = np.deg2rad(theta)
        parts.append(np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]]))
    if tx != 0 or ty != 0:
        parts.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]))
    if shear != 0:
        s = np.deg2rad(shear)
        parts.append(np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        parts.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    if not parts:
        return x
    matrix = parts[0]
    for part in parts[1:]:
        matrix = np.dot(matrix, part)
    matrix = transform_matrix_offset_center(matrix, x.shape[row_axis], x.shape[col_axis])
    channels = np.moveaxis(x, channel_axis, 0)
    if col_axis > row_axis:
        matrix[:, [0, 1]] = matrix[:, [1, 0]]
        matrix[[0, 1]] = matrix[[1, 0]]
    ndimage = _ndimage()
    out = np.stack([ndimage.affine_transform(c, matrix[:2, :2], matrix[:2, 2], order=order,
                                             mode=fill_mode, cval=cval) for c in channels])
    return np.moveaxis(out, 0, channel_axis)


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                    interpolation_order=1):
    """Rotates by an angle drawn uniformly in `[-rg, rg]` degrees."""
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(x, theta=theta, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0.0, interpolation_order=1):
    """Shifts by fractions of the height (`hrg`) and width (`wrg`) drawn uniformly."""
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(x, tx=tx, ty=ty, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0.0, interpolation_order=1):
    """Shears by an angle drawn uniformly in `[-intensity, intensity]` degrees."""
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(x, shear=shear, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                cval=0.0, interpolation_order=1):
    """Zooms rows and columns by two factors drawn uniformly in `zoom_range = (low, high)`."""
    if len(zoom_range) != 2:
        raise ValueError("random_zoom: zoom_range must be two floats. "
                         f"Received: zoom_range={zoom_range}")
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(x, zx=zx, zy=zy, row_axis=row_axis, col_axis=col_axis,
                                  channel_axis=channel_axis, fill_mode=fill_mode, cval=cval,
                                  order=interpolation_order)


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds `intensity` to every channel, clipped to the image's original value range."""
    channels = np.moveaxis(x, channel_axis, 0)
    low, high = np.min(channels), np.max(channels)
    shifted = np.stack([np.clip(c + intensity, low, high) for c in channels])
    return np.moveaxis(shifted, 0, channel_axis)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """`apply_channel_shift` by an intensity drawn uniformly in `[-range, range]`."""
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(x, brightness, scale=True):
    """Scales the brightness by `brightness` (1: unchanged) with PIL's `ImageEnhance`.

    Args:
        scale: Rescale values outside [0, 255] to that range before enhancing (otherwise
            they are mapped back to the original range after).
    """
    image_utils.pil_image()
    from PIL import ImageEnhance

    low, high = np.min(x), np.max(x)
    out_of_range = low < 0 or high > 255
    img = image_utils.array_to_img(x, scale=out_of_range or scale)
    x = image_utils.img_to_array(ImageEnhance.Brightness(img).enhance(brightness))
    if not scale and out_of_range:
        x = x / 255 * (high - low) + low
    return x


def random_brightness(x, brightness_range, scale=True):
    """`apply_brightness_shift` by a factor drawn uniformly in `brightness_range`."""
    if len(brightness_range) != 2:
        raise ValueError("random_brightness: brightness_range must be two floats. "
                         f"Received: brightness_range={brightness_range}")
    factor = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, factor, scale)
