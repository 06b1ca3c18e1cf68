"""Image ops of `keras.ops.image` on `jax.Array`.

Images are `(batch, height, width, channels)` (`"channels_last"`) or
`(batch, channels, height, width)`, or the same without the batch axis.
"""

import jax
import jax.numpy as jnp
import numpy as np

from neokeras.backend.jax.numpy import _t

__all__ = [
    "affine_transform", "crop_images", "elastic_transform", "extract_patches",
    "extract_patches_3d", "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images",
    "perspective_transform", "resize", "rgb_to_grayscale", "rgb_to_hsv", "scale_and_translate",
    "sobel_edges", "ssim",
]

_RESIZE_METHODS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")
_ORDERS = {"nearest": 0, "bilinear": 1}
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")
_SCALE_METHODS = ("linear", "bilinear", "trilinear", "cubic", "bicubic", "tricubic", "lanczos3",
                  "lanczos5")


def _data_format(data_format):
    from neokeras import config

    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("`data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}")
    return data_format


def _images(images, op, name="images"):
    images = _t(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"ops.image.{op} expects rank 3 (one image) or rank 4 (a batch of "
                         f"images) `{name}`. Received: {name}.shape={images.shape}")
    return images


def _choice(value, allowed, op, name):
    if value not in allowed:
        raise ValueError(f"ops.image.{op}: `{name}` must be one of {tuple(allowed)}. "
                         f"Received: {name}={value!r}")


def _to_batched_channels_last(images, data_format):
    """(images as NHWC, function restoring the caller's layout and batching)."""
    unbatched = images.ndim == 3
    if unbatched:
        images = images[None]
    if data_format == "channels_first":
        images = jnp.transpose(images, (0, 2, 3, 1))

    def restore(out):
        if data_format == "channels_first":
            out = jnp.transpose(out, (0, 3, 1, 2))
        return out[0] if unbatched else out

    return images, restore


# ----- color --------------------------------------------------------------------------------

def rgb_to_grayscale(images, data_format=None):
    images = _images(images, "rgb_to_grayscale")
    axis = -1 if _data_format(data_format) == "channels_last" else -3
    if images.shape[axis] not in (1, 3):
        raise ValueError("ops.image.rgb_to_grayscale expects 1 or 3 channels. "
                         f"Received: images.shape={images.shape}")
    if images.shape[axis] == 1:
        return images
    dtype = images.dtype
    compute = images.astype(jnp.promote_types(dtype, jnp.float32)
                            if not jnp.issubdtype(dtype, jnp.floating) else dtype)
    weights = jnp.asarray([0.2989, 0.5870, 0.1140], compute.dtype)
    gray = jnp.tensordot(compute, weights, axes=((axis,), (0,)))
    return jnp.expand_dims(gray, axis).astype(dtype)


def _float_images(images, op):
    images = _images(images, op)
    if not jnp.issubdtype(images.dtype, jnp.floating):
        raise ValueError(f"ops.image.{op} expects float images. "
                         f"Received: images.dtype={images.dtype}")
    return images


def rgb_to_hsv(images, data_format=None):
    images = _float_images(images, "rgb_to_hsv")
    axis = -1 if _data_format(data_format) == "channels_last" else -3
    images = jnp.where(jnp.abs(images) < jnp.finfo(images.dtype).eps, 0.0, images)
    r, g, b = (jnp.take(images, k, axis=axis) for k in range(3))
    value = jnp.maximum(jnp.maximum(r, g), b)
    spread = value - jnp.minimum(jnp.minimum(r, g), b)
    saturation = jnp.where(value > 0, spread / jnp.where(value > 0, value, 1.0), 0.0)
    norm = 1.0 / (6.0 * jnp.where(spread > 0, spread, 1.0))
    hue = jnp.where(value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0)
    hue = jnp.where(value == r, norm * (g - b), hue)
    hue = jnp.where(spread > 0, hue, 0.0) + (hue < 0.0).astype(hue.dtype)
    return jnp.stack([hue, saturation, value], axis=axis)


def hsv_to_rgb(images, data_format=None):
    images = _float_images(images, "hsv_to_rgb")
    axis = -1 if _data_format(data_format) == "channels_last" else -3
    h, s, v = (jnp.take(images, k, axis=axis) for k in range(3))
    sector = jnp.mod(h, 1.0) * 6.0
    weights = [jnp.clip(jnp.abs(sector - 3.0) - 1.0, 0.0, 1.0),
               jnp.clip(2.0 - jnp.abs(sector - 2.0), 0.0, 1.0),
               jnp.clip(2.0 - jnp.abs(sector - 4.0), 0.0, 1.0)]
    return jnp.stack([v * ((1.0 - s) + s * w) for w in weights], axis=axis)


# ----- resizing -----------------------------------------------------------------------------

def _aspect_box(height, width, target_h, target_w, pad):
    """Crop (pad=False) or pad (pad=True) box with the target aspect ratio, centered."""
    box_h = int(float(width * target_h) / target_w)
    box_w = int(float(height * target_w) / target_h)
    if pad:
        box_h, box_w = max(height, box_h), max(width, box_w)
    else:
        box_h, box_w = max(min(height, box_h), 1), max(min(width, box_w), 1)
    return box_h, box_w


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    _choice(interpolation, _RESIZE_METHODS, "resize", "interpolation")
    if fill_mode != "constant":
        raise ValueError("ops.image.resize: only fill_mode='constant' is supported. "
                         f"Received: fill_mode={fill_mode!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("ops.image.resize: only one of `crop_to_aspect_ratio` and "
                         "`pad_to_aspect_ratio` can be True.")
    if len(size) != 2:
        raise ValueError("ops.image.resize: `size` must be (height, width). "
                         f"Received: size={size!r}")
    images = _images(images, "resize")
    target_h, target_w = int(size[0]), int(size[1])
    x, restore = _to_batched_channels_last(images, _data_format(data_format))
    height, width = x.shape[1], x.shape[2]
    if crop_to_aspect_ratio:
        box_h, box_w = _aspect_box(height, width, target_h, target_w, pad=False)
        top, left = int(float(height - box_h) / 2), int(float(width - box_w) / 2)
        x = x[:, top:top + box_h, left:left + box_w, :]
    elif pad_to_aspect_ratio:
        box_h, box_w = _aspect_box(height, width, target_h, target_w, pad=True)
        top, left = int(float(box_h - height) / 2), int(float(box_w - width) / 2)
        # Keras pads both sides by the same amount (the height first if it needs padding).
        if top > 0:
            x = jnp.pad(x, ((0, 0), (top, top), (0, 0), (0, 0)), constant_values=fill_value)
        elif left > 0:
            x = jnp.pad(x, ((0, 0), (0, 0), (left, left), (0, 0)), constant_values=fill_value)
    out = jax.image.resize(x, (x.shape[0], target_h, target_w, x.shape[3]),
                           method=interpolation, antialias=antialias)
    return restore(out)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    _choice(method, _SCALE_METHODS, "scale_and_translate", "method")
    return jax.image.scale_and_translate(_t(images), tuple(output_shape), tuple(spatial_dims),
                                         _t(scale), _t(translation), method, antialias)


# ----- geometric warps ----------------------------------------------------------------------

def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    inputs, coordinates = _t(inputs), _t(coordinates)
    if coordinates.ndim < 2 or coordinates.shape[0] != inputs.ndim:
        raise ValueError("ops.image.map_coordinates: `coordinates` must have shape "
                         f"({inputs.ndim}, ...) for an input of rank {inputs.ndim}. "
                         f"Received: coordinates.shape={coordinates.shape}")
    _choice(fill_mode, _FILL_MODES, "map_coordinates", "fill_mode")
    _choice(order, (0, 1), "map_coordinates", "order")
    return jax.scipy.ndimage.map_coordinates(inputs, list(coordinates), order, fill_mode,
                                             fill_value)


def _sample(images, rows, cols, order, fill_mode, fill_value):
    """images (N, H, W, C) sampled at (N, H', W') source coordinates, per channel."""

    def one(image, r, c):
        return jax.vmap(lambda ch: jax.scipy.ndimage.map_coordinates(
            ch, [r, c], order, fill_mode, fill_value), in_axes=-1, out_axes=-1)(image)

    return jax.vmap(one)(images, rows, cols)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Warps images by `[a0, a1, a2, b0, b1, b2, c0, c1]`: output (x, y) samples the input at
    `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1` (Keras ignores
    the projective part `c` here, as does this implementation)."""
    _choice(interpolation, _ORDERS, "affine_transform", "interpolation")
    _choice(fill_mode, _FILL_MODES, "affine_transform", "fill_mode")
    images = _images(images, "affine_transform")
    transform = _t(transform)
    if transform.ndim not in (1, 2) or transform.shape[-1] != 8:
        raise ValueError("ops.image.affine_transform: `transform` must have shape (8,) or "
                         f"(batch, 8). Received: transform.shape={transform.shape}")
    x, restore = _to_batched_channels_last(images, _data_format(data_format))
    if transform.ndim == 1:
        transform = jnp.broadcast_to(transform, (x.shape[0], 8))
    height, width = x.shape[1], x.shape[2]
    rows, cols = jnp.meshgrid(jnp.arange(height, dtype=transform.dtype),
                              jnp.arange(width, dtype=transform.dtype), indexing="ij")
    t = transform[:, :, None, None]
    src_cols = t[:, 0] * cols + t[:, 1] * rows + t[:, 2]
    src_rows = t[:, 3] * cols + t[:, 4] * rows + t[:, 5]
    out = _sample(x, src_rows, src_cols, _ORDERS[interpolation], fill_mode, fill_value)
    return restore(out)


def _homography(start, end):
    """Per batch, the 8 coefficients mapping end points (output) to start points (input)."""
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    zero, one = jnp.zeros_like(ex), jnp.ones_like(ex)
    rows_x = jnp.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], axis=-1)
    rows_y = jnp.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], axis=-1)
    system = jnp.concatenate([rows_x, rows_y], axis=1)
    return jnp.linalg.solve(system, jnp.concatenate([sx, sy], axis=-1)[..., None])[..., 0]


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    _choice(interpolation, _ORDERS, "perspective_transform", "interpolation")
    images = _images(images, "perspective_transform")
    start, end = _t(start_points).astype("float32"), _t(end_points).astype("float32")
    for name, points in (("start_points", start), ("end_points", end)):
        if points.shape[-2:] != (4, 2) or points.ndim not in (2, 3):
            raise ValueError(f"ops.image.perspective_transform: `{name}` must have shape (4, 2) "
                             f"or (batch, 4, 2). Received: {name}.shape={points.shape}")
    if start.shape != end.shape:
        raise ValueError("ops.image.perspective_transform: `start_points` and `end_points` "
                         f"must have the same shape. Received: {start.shape} and {end.shape}")
    x, restore = _to_batched_channels_last(images, _data_format(data_format))
    if start.ndim == 2:
        start, end = start[None], end[None]
    coeffs = _homography(start, end)
    height, width = x.shape[1], x.shape[2]
    rows, cols = jnp.meshgrid(jnp.arange(height, dtype="float32"),
                              jnp.arange(width, dtype="float32"), indexing="ij")
    c = jnp.broadcast_to(coeffs, (x.shape[0], 8))[:, :, None, None]
    denom = c[:, 6] * cols + c[:, 7] * rows + 1.0
    src_cols = (c[:, 0] * cols + c[:, 1] * rows + c[:, 2]) / denom
    src_rows = (c[:, 3] * cols + c[:, 4] * rows + c[:, 5]) / denom
    out = _sample(x, src_rows, src_cols, _ORDERS[interpolation], "constant", fill_value)
    return restore(out.astype(x.dtype))


def _noise_key(seed):
    if isinstance(seed, (int, np.integer)):
        # Keras uses the raw key [seed, 0] for an int seed; the same numbers follow.
        return jax.random.wrap_key_data(np.asarray([int(seed) & 0xFFFFFFFF, 0], np.uint32))
    from neokeras.backend.jax import random

    return jax.random.wrap_key_data(random._key(seed))


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Random smooth displacement field (Gaussian-blurred noise scaled by `alpha`)."""
    _choice(interpolation, _ORDERS, "elastic_transform", "interpolation")
    _choice(fill_mode, _FILL_MODES, "elastic_transform", "fill_mode")
    images = _images(images, "elastic_transform")
    data_format = _data_format(data_format)
    x, restore = _to_batched_channels_last(images, data_format)
    batch, height, width, _ = x.shape
    size = int(6 * sigma) | 1
    key = _noise_key(seed)
    # As in Keras, one noise draw gives both displacement components.
    noise = jax.random.normal(key, (batch, height, width), dtype=x.dtype) * sigma
    field = gaussian_blur(noise[..., None], (size, size), (sigma, sigma),
                          data_format="channels_last")[..., 0]
    rows, cols = jnp.meshgrid(jnp.arange(height), jnp.arange(width), indexing="ij")
    out = _sample(x, rows[None] + alpha * field, cols[None] + alpha * field,
                  _ORDERS[interpolation], fill_mode, fill_value)
    return restore(out.astype(x.dtype))


# ----- crop and pad -------------------------------------------------------------------------

def _two_of_three(first, second, total, names, op):
    if [first, second, total].count(None) != 1:
        raise ValueError(f"ops.image.{op}: give exactly two of {', '.join(names)}. Received: "
                         f"{names[0]}={first}, {names[1]}={second}, {names[2]}={total}")
    for name, value in zip(names, (first, second, total)):
        if value is not None and value < 0:
            raise ValueError(f"ops.image.{op}: `{name}` must be >= 0. Received: {value}")


def _hw(images, data_format):
    if data_format == "channels_last":
        return images.shape[-3], images.shape[-2]
    return images.shape[-2], images.shape[-1]


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    images = _images(images, "pad_images")
    data_format = _data_format(data_format)
    _two_of_three(top_padding, bottom_padding, target_height,
                  ("top_padding", "bottom_padding", "target_height"), "pad_images")
    _two_of_three(left_padding, right_padding, target_width,
                  ("left_padding", "right_padding", "target_width"), "pad_images")
    height, width = _hw(images, data_format)
    top = target_height - bottom_padding - height if top_padding is None else top_padding
    bottom = target_height - top - height if bottom_padding is None else bottom_padding
    left = target_width - right_padding - width if left_padding is None else left_padding
    right = target_width - left - width if right_padding is None else right_padding
    for name, value in (("top_padding", top), ("bottom_padding", bottom),
                        ("left_padding", left), ("right_padding", right)):
        if value < 0:
            raise ValueError(f"ops.image.pad_images: the target size is smaller than the image "
                             f"({height}x{width}), giving {name}={value}.")
    pads = [(top, bottom), (left, right)]
    pads = pads + [(0, 0)] if data_format == "channels_last" else [(0, 0)] + pads
    if images.ndim == 4:
        pads = [(0, 0)] + pads
    return jnp.pad(images, pads)


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    images = _images(images, "crop_images")
    data_format = _data_format(data_format)
    _two_of_three(top_cropping, bottom_cropping, target_height,
                  ("top_cropping", "bottom_cropping", "target_height"), "crop_images")
    _two_of_three(left_cropping, right_cropping, target_width,
                  ("left_cropping", "right_cropping", "target_width"), "crop_images")
    height, width = _hw(images, data_format)
    top = height - target_height - bottom_cropping if top_cropping is None else top_cropping
    rows = height - bottom_cropping - top if target_height is None else target_height
    left = width - target_width - right_cropping if left_cropping is None else left_cropping
    cols = width - right_cropping - left if target_width is None else target_width
    if top < 0 or left < 0 or rows < 0 or cols < 0 or top + rows > height or left + cols > width:
        raise ValueError(f"ops.image.crop_images: the crop does not fit the image "
                         f"({height}x{width}): top={top}, left={left}, height={rows}, "
                         f"width={cols}.")
    if data_format == "channels_last":
        return images[..., top:top + rows, left:left + cols, :]
    return images[..., top:top + rows, left:left + cols]


# ----- patches and filters ------------------------------------------------------------------

def _patches(images, size, strides, dilation_rate, padding, data_format, rank, op):
    size = (size,) * rank if isinstance(size, (int, np.integer)) else tuple(size)
    if len(size) != rank:
        raise ValueError(f"ops.image.{op}: `size` must be an int or {rank} ints. "
                         f"Received: size={size}")
    strides = size if not strides else (
        (strides,) * rank if isinstance(strides, (int, np.integer)) else tuple(strides))
    dilation = (dilation_rate,) * rank if isinstance(dilation_rate, (int, np.integer)) \
        else tuple(dilation_rate)
    padding = str(padding).upper()
    _choice(padding, ("VALID", "SAME"), op, "padding")
    x = _t(images)
    unbatched = x.ndim == rank + 1
    if unbatched:
        x = x[None]
    if x.ndim != rank + 2:
        raise ValueError(f"ops.image.{op} expects rank {rank + 1} or {rank + 2} inputs. "
                         f"Received: shape={_t(images).shape}")
    if data_format == "channels_last":
        x = jnp.moveaxis(x, -1, 1)
    # (N, C * prod(size), *out) with C outermost; Keras orders each patch as (*size, C).
    spatial = "DHW"[-rank:]
    patches = jax.lax.conv_general_dilated_patches(
        x, size, strides, padding, rhs_dilation=dilation,
        dimension_numbers=("NC" + spatial, "OI" + spatial, "NC" + spatial))
    n, channels, out = x.shape[0], x.shape[1], patches.shape[2:]
    patches = patches.reshape((n, channels, int(np.prod(size))) + out)
    patches = jnp.swapaxes(patches, 1, 2).reshape((n, -1) + out)
    if data_format == "channels_last":
        patches = jnp.moveaxis(patches, 1, -1)
    return patches[0] if unbatched else patches


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    if not isinstance(size, (int, np.integer)) and len(size) == 3:
        return extract_patches_3d(images, size, strides, dilation_rate, padding, data_format)
    return _patches(images, size, strides, dilation_rate, padding, _data_format(data_format), 2,
                    "extract_patches")


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    return _patches(volumes, size, strides, dilation_rate, padding, _data_format(data_format), 3,
                    "extract_patches_3d")


def _gaussian_1d(size, sigma, dtype):
    x = jnp.arange(size, dtype=dtype) - (size - 1) / 2
    kernel = jnp.exp(-0.5 * (x / sigma) ** 2)
    return kernel / jnp.sum(kernel)


def _depthwise(x, kernel):
    """x (N, C, H, W) convolved per channel with kernel (kh, kw), 'same' padding."""
    channels = x.shape[1]
    weights = jnp.tile(kernel[None, None], (channels, 1, 1, 1)).astype(x.dtype)
    return jax.lax.conv_general_dilated(x, weights, (1, 1), "SAME",
                                        dimension_numbers=("NCHW", "OIHW", "NCHW"),
                                        feature_group_count=channels)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    images = _images(images, "gaussian_blur")
    data_format = _data_format(data_format)
    x = images[None] if images.ndim == 3 else images
    if data_format == "channels_last":
        x = jnp.transpose(x, (0, 3, 1, 2))
    sigma = _t(sigma).astype(x.dtype)
    # Keras builds outer(kernel_y, kernel_x) with kernel_x from (kernel_size[0], sigma[0]).
    kx = _gaussian_1d(kernel_size[0], sigma[0], x.dtype)
    ky = _gaussian_1d(kernel_size[1], sigma[1], x.dtype)
    out = _depthwise(x, jnp.outer(ky, kx))
    if data_format == "channels_last":
        out = jnp.transpose(out, (0, 2, 3, 1))
    return out[0] if images.ndim == 3 else out


def sobel_edges(images, data_format=None):
    images = _t(images)
    if images.ndim != 4:
        raise ValueError("ops.image.sobel_edges expects a batch of images (rank 4). "
                         f"Received: images.shape={images.shape}")
    channels_last = data_format != "channels_first"
    x = jnp.transpose(images, (0, 3, 1, 2)) if channels_last else images
    sobel_x = jnp.asarray([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], x.dtype)
    edges = [_depthwise(x, sobel_x.T), _depthwise(x, sobel_x)]
    if channels_last:
        edges = [jnp.transpose(e, (0, 2, 3, 1)) for e in edges]
    return jnp.stack(edges, axis=-1)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    """Mean structural similarity per image (Gaussian window, 'valid' filtering)."""
    a, b = _images(image1, "ssim", "image1"), _images(image2, "ssim", "image2")
    dtype = a.dtype
    compute = jnp.promote_types(dtype, jnp.float32) if not jnp.issubdtype(
        dtype, jnp.floating) else dtype
    a, b = a.astype(compute), b.astype(compute)
    unbatched = a.ndim == 3
    if unbatched:
        a, b = a[None], b[None]
    if _data_format(data_format) == "channels_last":
        a, b = jnp.transpose(a, (0, 3, 1, 2)), jnp.transpose(b, (0, 3, 1, 2))
    g = _gaussian_1d(filter_size, filter_sigma, compute)
    window = jnp.outer(g, g)

    def blur(x):
        n, c, h, w = x.shape
        flat = x.reshape(n * c, 1, h, w)
        out = jax.lax.conv_general_dilated(flat, window[None, None], (1, 1), "VALID",
                                           dimension_numbers=("NCHW", "OIHW", "NCHW"))
        return out.reshape(n, c, *out.shape[2:])

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu1, mu2 = blur(a), blur(b)
    var1, var2 = blur(a * a) - mu1 * mu1, blur(b * b) - mu2 * mu2
    cov = blur(a * b) - mu1 * mu2
    ssim_map = ((2 * mu1 * mu2 + c1) * (2 * cov + c2)) / (
        (mu1 * mu1 + mu2 * mu2 + c1) * (var1 + var2 + c2))
    result = jnp.mean(ssim_map, axis=(1, 2, 3))
    return (result[0] if unbatched else result).astype(dtype)
