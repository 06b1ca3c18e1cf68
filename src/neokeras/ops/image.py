"""Image operations (`keras.ops.image`): resizing, affine/perspective warps, crops and pads, patches, color conversions, filters."""

from neokeras import ops as _ops

__all__ = [
    "affine_transform", "crop_images", "elastic_transform", "extract_patches",
    "extract_patches_3d", "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images",
    "perspective_transform", "resize", "rgb_to_grayscale", "rgb_to_hsv", "scale_and_translate",
    "sobel_edges", "ssim"
]

for _name in __all__:
    if _ops.family_function("image", _name) is not None:
        globals()[_name] = _ops.family_function("image", _name)
del _name
