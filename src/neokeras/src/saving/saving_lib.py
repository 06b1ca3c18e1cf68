"""`keras.src.saving.saving_lib` (compatibility mirror): Keras's `.keras` archive entry points.

scikeras pickles models through `save_model`/`load_model` of this module.
"""

from neokeras.saving import saving_api as _saving_api


def save_model(model, filepath, weights_format="h5", zipped=True):
    """Saves `model` as a `.keras` archive to a path or an open binary file object (or, with
    `zipped=False`, a directory)."""
    if weights_format != "h5":
        raise ValueError(f"Only weights_format='h5' is supported. Received: {weights_format!r}")
    _saving_api.save_model(model, filepath, zipped=zipped)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by `save_model` (a path or an open binary file object)."""
    return _saving_api.load_model(filepath, custom_objects=custom_objects, compile=compile,
                                  safe_mode=safe_mode)


def save_weights_only(model, filepath):
    """Saves only the weights (`.weights.h5`)."""
    _saving_api.save_weights(model, filepath)


def load_weights_only(model, filepath, skip_mismatch=False):
    """Loads weights saved by `save_weights_only`."""
    _saving_api.load_weights(model, filepath, skip_mismatch=skip_mismatch)
