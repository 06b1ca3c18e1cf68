"""Global configuration: default float type, fuzz factor, image data format, backend name."""

import os

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_BACKEND = os.environ.get("NEOKERAS_BACKEND", os.environ.get("KERAS_BACKEND", "jax"))


def floatx():
    """Returns the default float type, as a string (e.g. `"float32"`)."""
    return _FLOATX


def set_floatx(value):
    """Sets the default float type (`"float16"`, `"bfloat16"`, `"float32"` or `"float64"`)."""
    global _FLOATX
    accepted = ("float16", "bfloat16", "float32", "float64")
    if value not in accepted:
        raise ValueError(f"Unknown floatx type {value!r}. Expected one of {accepted}.")
    _FLOATX = str(value)


def epsilon():
    """Returns the fuzz factor used in numeric expressions (default `1e-7`)."""
    return _EPSILON


def set_epsilon(value):
    """Sets the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """Returns `"channels_last"` or `"channels_first"`."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    """Sets the default image data format (`"channels_last"` or `"channels_first"`)."""
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "image_data_format must be 'channels_last' or 'channels_first'. "
            f"Received: {data_format!r}"
        )
    _IMAGE_DATA_FORMAT = data_format


def backend():
    """Returns the name of the active backend (`"jax"`)."""
    return _BACKEND


_UNSAFE_DESERIALIZATION = False


def enable_unsafe_deserialization():
    """Disables safe mode for the whole process: files may then load serialized Python code
    (lambdas), as if every loader were called with `safe_mode=False`. Only for trusted files."""
    global _UNSAFE_DESERIALIZATION
    _UNSAFE_DESERIALIZATION = True
