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


def set_backend(backend):
    """Selects the backend by name. neokeras runs on `"jax"` only, so that is the one value
    accepted; any other name raises `ValueError`."""
    if backend != "jax":
        raise ValueError(
            f"neokeras runs on the JAX backend only. Received: backend={backend!r}. "
            "Expected 'jax'."
        )
    global _BACKEND
    _BACKEND = backend
    os.environ["KERAS_BACKEND"] = backend


def is_nnx_enabled():
    """Whether Flax NNX integration is on: never in neokeras, which does not use Flax."""
    return False


_LIMITS = {
    "epochs": int(os.environ["KERAS_MAX_EPOCHS"]) if "KERAS_MAX_EPOCHS" in os.environ else None,
    "steps": int(os.environ["KERAS_MAX_STEPS_PER_EPOCH"])
    if "KERAS_MAX_STEPS_PER_EPOCH" in os.environ else None,
}


def set_max_epochs(max_epochs):
    """Caps the number of epochs of every `fit` (None: no cap). For quick debugging runs; the
    environment variable `KERAS_MAX_EPOCHS` sets it too."""
    _LIMITS["epochs"] = max_epochs


def max_epochs():
    """The cap on `fit` epochs set by `set_max_epochs` or `KERAS_MAX_EPOCHS`, or None."""
    return _LIMITS["epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    """Caps the steps of every epoch of `fit`, `evaluate` and `predict` (None: no cap). The
    environment variable `KERAS_MAX_STEPS_PER_EPOCH` sets it too."""
    _LIMITS["steps"] = max_steps_per_epoch


def max_steps_per_epoch():
    """The cap on steps per epoch set by `set_max_steps_per_epoch`, or None."""
    return _LIMITS["steps"]


_FLASH_ATTENTION = {"value": None}


def enable_flash_attention():
    """Lets attention layers use flash attention where the hardware supports it (the
    default, automatic choice)."""
    _FLASH_ATTENTION["value"] = None


def disable_flash_attention():
    """Keeps attention layers from using flash attention."""
    _FLASH_ATTENTION["value"] = False


def is_flash_attention_enabled():
    """None (automatic: used where supported, the default) or False (disabled)."""
    return _FLASH_ATTENTION["value"]


# These live beside the code they steer; they are imported on first use to keep this module
# free of imports (it is loaded before anything else).
_ELSEWHERE = {
    "enable_interactive_logging": "neokeras.utils.io_utils",
    "disable_interactive_logging": "neokeras.utils.io_utils",
    "is_interactive_logging_enabled": "neokeras.utils.io_utils",
    "enable_traceback_filtering": "neokeras.utils.traceback_utils",
    "disable_traceback_filtering": "neokeras.utils.traceback_utils",
    "is_traceback_filtering_enabled": "neokeras.utils.traceback_utils",
    "dtype_policy": "neokeras.dtype_policies.dtype_policy",
    "enable_compilation_cache": "neokeras.backend",
    "disable_compilation_cache": "neokeras.backend",
    "is_compilation_cache_enabled": "neokeras.backend",
    "set_dtype_policy": "neokeras.dtype_policies.dtype_policy",
}


def __getattr__(name):
    if name in _ELSEWHERE:
        import importlib

        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module 'neokeras.config' has no attribute {name!r}")
