"""Affine-transform plumbing shared by the geometric augmentation layers."""

import math

from neokeras import backend
from neokeras import ops

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def check_fill_and_interpolation(layer_name, fill_mode, interpolation):
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(f"{layer_name}: unknown fill_mode {fill_mode!r}; expected one "
                                  f"of {FILL_MODES}.")
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(f"{layer_name}: unknown interpolation {interpolation!r}; "
                                  f"expected one of {INTERPOLATIONS}.")


def apply_affine(layer, images, transform, interpolation=None):
    """Transforms `images` (layer's data format, rank 3 or 4) by 8-number transforms."""
    images = layer._channels_last(images)
    out = backend.impl.image.affine_transform(
        images, transform, interpolation=interpolation or layer.interpolation,
        fill_mode=layer.fill_mode, fill_value=layer.fill_value, data_format="channels_last")
    return layer._restore_format(out)


def affine_matrix(center_x, center_y, angle, translate_x, translate_y, scale, shear_x, shear_y,
                  height, width):
    """Keras's batched rotation/shear/scale/translation transforms (angles in degrees)."""
    to_radians = math.pi / 180.0
    angle = angle * to_radians
    shear_x = ops.tan(shear_x * to_radians)
    shear_y = ops.tan(shear_y * to_radians)
    cx = center_x * (float(width) - 1)
    cy = center_y * (float(height) - 1)
    cos, sin = ops.cos(angle), ops.sin(angle)
    a0 = scale * (cos + shear_x * sin)
    a1 = scale * (-sin + shear_x * cos)
    a2 = translate_x + cx - cx * a0 - cy * a1
    b0 = scale * (shear_y * cos + sin)
    b1 = scale * (shear_y * -sin + cos)
    b2 = translate_y + cy - cx * b0 - cy * b1
    zeros = ops.zeros_like(a0)
    return ops.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


def check_factor_pair(layer_name, factor, name, lower_bound=-1.0, inclusive_lower=True):
    """(lower, upper) from a number `f` (meaning `(-f, f)`) or a pair, each within bounds."""
    message = (f"{layer_name}: `{name}` must be a number or a pair of numbers in "
               f"{'[' if inclusive_lower else '('}{lower_bound}, 1]. Received: {name}={factor!r}")

    def check(value):
        if value > 1.0 or value < lower_bound or (not inclusive_lower and value == lower_bound):
            raise ValueError(message)

    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message)
        check(factor[0])
        check(factor[1])
        return tuple(sorted(factor))
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        check(factor)
        return (-abs(factor), abs(factor))
    raise ValueError(message)
