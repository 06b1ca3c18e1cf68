"""Image geometry and color for the image preprocessing layers (channels-last arrays).

`resize` and `affine_transform` follow Keras 3's JAX backend: `jax.image.resize`, and
`jax.scipy.ndimage.map_coordinates` with Keras's 8-number projective transforms
`[a0, a1, a2, b0, b1, b2, c0, c1]` mapping output `(x, y)` to input
`(a0 x + a1 y + a2, b0 x + b1 y + b2)`.
"""

import jax
import jax.numpy as jnp

from neokeras.backend.jax.core import convert_to_tensor

RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")
AFFINE_INTERPOLATIONS = {"nearest": 0, "bilinear": 1}
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _aspect_crop(images, target_height, target_width):
    height, width = images.shape[-3], images.shape[-2]
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    top = int(float(height - crop_height) / 2)
    left = int(float(width - crop_width) / 2)
    return images[..., top:top + crop_height, left:left + crop_width, :]


def _aspect_pad(images, target_height, target_width, fill_value):
    height, width = images.shape[-3], images.shape[-2]
    pad_height = max(height, int(float(width * target_height) / target_width))
    pad_width = max(width, int(float(height * target_width) / target_height))
    top = int(float(pad_height - height) / 2)
    left = int(float(pad_width - width) / 2)
    if top > 0:
        widths = [(0, 0)] * images.ndim
        widths[-3] = (top, top)
    elif left > 0:
        widths = [(0, 0)] * images.ndim
        widths[-2] = (left, left)
    else:
        return images
    return jnp.pad(images, widths, constant_values=jnp.asarray(fill_value, images.dtype))


def resize(images, size, interpolation="bilinear", antialias=False,
           crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_value=0.0):
    """Resizes channels-last images (rank 3 or 4) to `size = (height, width)`."""
    if interpolation not in RESIZE_INTERPOLATIONS:
        raise ValueError(f"resize: interpolation must be one of {RESIZE_INTERPOLATIONS}. "
                         f"Received: interpolation={interpolation!r}")
    images = convert_to_tensor(images)
    target_height, target_width = (int(s) for s in size)
    if crop_to_aspect_ratio:
        images = _aspect_crop(images, target_height, target_width)
    elif pad_to_aspect_ratio:
        images = _aspect_pad(images, target_height, target_width, fill_value)
    shape = images.shape[:-3] + (target_height, target_width, images.shape[-1])
    return jax.image.resize(images, shape, method=interpolation, antialias=antialias)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0.0):
    """Applies one projective transform per image (channels-last batch)."""
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError(f"affine_transform: interpolation must be one of "
                         f"{tuple(AFFINE_INTERPOLATIONS)}. Received: {interpolation!r}")
    if fill_mode not in FILL_MODES:
        raise ValueError(f"affine_transform: fill_mode must be one of {FILL_MODES}. "
                         f"Received: {fill_mode!r}")
    images = convert_to_tensor(images)
    transform = convert_to_tensor(transform)
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    if transform.ndim == 1:
        transform = transform[None]
    _, height, width, channels = images.shape
    y, x, c = jnp.meshgrid(jnp.arange(height), jnp.arange(width), jnp.arange(channels),
                           indexing="ij")
    x = x.astype(transform.dtype)
    y = y.astype(transform.dtype)

    def one(image, t):
        source_x = t[0] * x + t[1] * y + t[2]
        source_y = t[3] * x + t[4] * y + t[5]
        return jax.scipy.ndimage.map_coordinates(
            image, [source_y, source_x, c.astype(transform.dtype)],
            order=AFFINE_INTERPOLATIONS[interpolation], mode=fill_mode, cval=fill_value)

    out = jax.vmap(one)(images, transform)
    return out[0] if squeeze else out


def rgb_to_grayscale(images):
    images = convert_to_tensor(images)
    if images.shape[-1] == 1:
        return images
    weights = jnp.asarray([0.2989, 0.5870, 0.1140], dtype=images.dtype)
    return jnp.tensordot(images, weights, axes=(-1, -1))[..., None].astype(images.dtype)


def rgb_to_hsv(images):
    images = convert_to_tensor(images)
    eps = jnp.finfo(images.dtype).eps
    images = jnp.where(jnp.abs(images) < eps, 0.0, images)
    r, g, b = images[..., 0], images[..., 1], images[..., 2]
    value = jnp.maximum(jnp.maximum(r, g), b)
    spread = value - jnp.minimum(jnp.minimum(r, g), b)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * jnp.where(spread > 0, spread, 1.0))
    hue = jnp.where(value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0)
    hue = jnp.where(value == r, norm * (g - b), hue)
    hue = jnp.where(spread > 0, hue, 0.0) + (hue < 0.0).astype(hue.dtype)
    return jnp.stack([hue, saturation, value], axis=-1)


def hsv_to_rgb(images):
    images = convert_to_tensor(images)
    hue, saturation, value = images[..., 0], images[..., 1], images[..., 2]
    dh = jnp.mod(hue, 1.0) * 6.0
    dr = jnp.clip(jnp.abs(dh - 3.0) - 1.0, 0.0, 1.0)
    dg = jnp.clip(2.0 - jnp.abs(dh - 2.0), 0.0, 1.0)
    db = jnp.clip(2.0 - jnp.abs(dh - 4.0), 0.0, 1.0)
    keep = 1.0 - saturation
    return jnp.stack([value * (keep + saturation * dr), value * (keep + saturation * dg),
                      value * (keep + saturation * db)], axis=-1)



def _homography(start_points, end_points):
    """The 8 projective coefficients mapping each `end` corner to its `start` corner."""
    sx, sy = start_points[..., 0], start_points[..., 1]
    ex, ey = end_points[..., 0], end_points[..., 1]
    zeros, ones = jnp.zeros_like(ex), jnp.ones_like(ex)
    x_rows = jnp.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = jnp.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    matrix = jnp.concatenate([x_rows, y_rows], axis=1)
    target = jnp.concatenate([sx, sy], axis=-1)[..., None]
    return jnp.linalg.solve(matrix, target)[..., 0]


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0.0):
    """Warps channels-last images so that `start_points` corners move to `end_points`."""
    if interpolation not in AFFINE_INTERPOLATIONS:
        raise ValueError(f"perspective_transform: interpolation must be one of "
                         f"{tuple(AFFINE_INTERPOLATIONS)}. Received: {interpolation!r}")
    images = convert_to_tensor(images)
    squeeze = images.ndim == 3
    if squeeze:
        images = images[None]
    start_points = jnp.asarray(start_points, "float32").reshape(-1, 4, 2)
    end_points = jnp.asarray(end_points, "float32").reshape(-1, 4, 2)
    _, height, width, _ = images.shape
    x, y = jnp.meshgrid(jnp.arange(width), jnp.arange(height), indexing="xy")
    x, y = x.ravel(), y.ravel()

    def one(image, t):
        denominator = t[6] * x + t[7] * y + 1.0
        coords = jnp.stack([(t[3] * x + t[4] * y + t[5]) / denominator,
                            (t[0] * x + t[1] * y + t[2]) / denominator])

        def channel(plane):
            return jax.scipy.ndimage.map_coordinates(
                plane, coords, order=AFFINE_INTERPOLATIONS[interpolation], mode="constant",
                cval=fill_value).reshape(height, width)

        return jnp.moveaxis(jax.vmap(channel)(jnp.moveaxis(image, -1, 0)), 0, -1)

    out = jax.vmap(one)(images, _homography(start_points, end_points))
    return out[0] if squeeze else out
