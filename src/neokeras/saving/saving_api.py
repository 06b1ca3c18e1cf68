"""Public entry points: `save_model`, `load_model`, `save_weights`, `load_weights`, JSON configs."""

import os

from neokeras.saving import legacy
from neokeras.saving import orbax_checkpoints
from neokeras.saving import saving_lib
from neokeras.saving import sharded


def _path(filepath):
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(f"Expected a file path (str or os.PathLike). Received: {filepath!r}")
    return os.fspath(filepath)


def _sniff(path):
    """'zip', 'h5' or None, by the first bytes of the file."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        return "zip"
    if head == b"\x89HDF\r\n\x1a\n":
        return "h5"
    return None


def save_model(model, filepath, overwrite=True, zipped=None, include_optimizer=True, **kwargs):
    """Saves a model: `.keras` (Keras 3 archive) or `.h5`/`.hdf5` (legacy Keras 2 HDF5).

    Args:
        model: The model to save.
        filepath: Destination; the extension picks the format. An open binary file object
            (e.g. `io.BytesIO`) receives a `.keras` archive.
        overwrite: Whether to replace an existing file.
        zipped: `False` writes an unzipped directory (`config.json`, `metadata.json`,
            `model.weights.h5`) at `filepath`, which must then not end in `.keras`.
        include_optimizer: For `.h5`, whether to store the compile config and optimizer state.
        save_format: `"keras"` or `"h5"` to override the extension (Keras 2 argument).
    """
    save_format = kwargs.pop("save_format", None)
    if kwargs:
        raise TypeError(f"save_model() got unexpected keyword argument(s) {sorted(kwargs)}.")
    if saving_lib.is_file_object(filepath) and save_format in (None, "keras") and zipped is not False:
        _check_built(model)
        return saving_lib.save_model(model, filepath)
    path = _path(filepath)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"'{path}' exists and overwrite=False.")
    if zipped is False:
        if path.endswith(".keras") or save_format not in (None, "keras"):
            raise ValueError(
                "With zipped=False the model is saved as a directory: pass a path that does "
                f"not end in `.keras` and no save_format. Received: filepath={path}, "
                f"save_format={save_format}")
        _check_built(model)
        return saving_lib.save_model_dir(model, path)
    if save_format in ("h5", "keras2-h5") or path.endswith((".h5", ".hdf5")) and save_format is None:
        if path.endswith(".weights.h5"):
            raise ValueError(f"'{path}' is a weights file name; use model.save_weights() for it.")
        return legacy.save_model(model, path, include_optimizer=include_optimizer)
    if save_format not in (None, "keras") or not path.endswith(".keras"):
        raise ValueError(
            f"Cannot tell the format of '{path}': use a name ending in `.keras` (Keras 3 "
            "archive) or `.h5` (legacy HDF5).")
    _check_built(model)
    saving_lib.save_model(model, path)


def _check_built(model):
    if not model.built:
        raise ValueError(f"Model '{model.name}' is not built yet; build it or call it on data "
                         "before saving.")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved as `.keras` (Keras 3 or neokeras) or legacy `.h5` (Keras 2 or 3).

    Args:
        filepath: The file, an open binary file object holding a `.keras` archive, a
            directory written by `save(..., zipped=False)`, or an Orbax checkpoint directory
            (`OrbaxCheckpoint`; its latest step is loaded).
        custom_objects: `{name: class_or_function}` for custom objects in the file.
        compile: Whether to compile the model from the saved compile config.
        safe_mode: Refuse serialized lambdas (Python code) in the file.
    """
    if saving_lib.is_file_object(filepath):
        return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)
    path = _path(filepath)
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file: '{path}'.")
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, saving_lib.CONFIG_FILENAME)):
            return saving_lib.load_model(path, custom_objects, compile, safe_mode)
        if orbax_checkpoints.is_orbax_checkpoint(path):
            return orbax_checkpoints.load_model(path, custom_objects, compile, safe_mode)
        raise ValueError(f"'{path}' is a directory without a '{saving_lib.CONFIG_FILENAME}'; "
                         "expected a .keras or .h5 file, a model saved with zipped=False or "
                         "an Orbax checkpoint directory.")
    kind = _sniff(path)
    if kind == "zip":
        return saving_lib.load_model(path, custom_objects, compile, safe_mode)
    if kind == "h5":
        return legacy.load_model(path, custom_objects, compile, safe_mode)
    raise ValueError(f"'{path}' is neither a .keras archive (zip) nor an HDF5 file.")


def save_weights(model, filepath, overwrite=True):
    """Saves the weights: `.weights.h5` (Keras 3 layout) or `.h5` (Keras 2 layout). In a
    multi-process job every process calls it and process 0 writes the file."""
    path = _path(filepath)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"'{path}' exists and overwrite=False.")
    if not model.built:
        raise ValueError(f"Model '{model.name}' is not built yet, so it has no weights to save.")
    if path.endswith(".weights.h5"):
        from neokeras.saving import h5_utils

        h5py = h5_utils.require_h5py()

        def write(tmp):
            with h5py.File(tmp, "w") as f:
                saving_lib.write_weights(model, f)

        with sharded.gathered(sharded.model_variables(model)) as writer:
            if writer:
                saving_lib.atomic_write(path, write)
        return None
    if path.endswith((".h5", ".hdf5")):
        return legacy.save_weights(model, path)
    raise ValueError(f"The filename must end in `.weights.h5` (or `.h5` for the legacy Keras 2 "
                     f"layout). Received: filepath={path}")


def load_weights(model, filepath, skip_mismatch=False, by_name=False):
    """Loads weights from `.weights.h5`, `.keras` or a legacy `.h5` file into `model`, or the
    state saved in an Orbax checkpoint directory (latest step, or the step folder given)."""
    path = _path(filepath)
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file: '{path}'.")
    if not model.built:
        raise ValueError(f"Model '{model.name}' is not built yet; build it before load_weights.")
    if os.path.isdir(path):
        if not orbax_checkpoints.is_orbax_checkpoint(path):
            raise ValueError(f"'{path}' is a directory but not an Orbax checkpoint; expected a "
                             ".weights.h5, .keras or .h5 file.")
        return orbax_checkpoints.load_weights(model, path)
    kind = _sniff(path)
    if kind == "zip":
        return saving_lib.load_weights_from_archive(model, path, skip_mismatch=skip_mismatch)
    if kind != "h5":
        raise ValueError(f"'{path}' is not an HDF5 weights file or a .keras archive.")
    from neokeras.saving import h5_utils

    from neokeras.saving import limits

    with limits.loading(f"Loading weights from '{path}'"), h5_utils.open_h5(path) as f:
        keras3_layout = "layer_names" not in f.attrs and "layer_names0" not in f.attrs \
            and "model_weights" not in f
        if keras3_layout:
            if by_name:
                raise ValueError("by_name=True applies to legacy .h5 files only; `.weights.h5` "
                                 "files are matched by the model's structure.")
            return saving_lib.read_weights(model, f, skip_mismatch=skip_mismatch)
    return legacy.load_weights(model, path, by_name=by_name, skip_mismatch=skip_mismatch)


def model_from_json(json_string, custom_objects=None, safe_mode=True):
    """Builds a model (fresh weights) from `model.to_json()` output (Keras 3 or Keras 2 JSON)."""
    from neokeras.saving import limits
    from neokeras.saving.serialization import deserialize_keras_object

    if not isinstance(json_string, (str, bytes, bytearray)):
        raise TypeError(f"model_from_json expects a JSON string. Received: "
                        f"{type(json_string).__name__}")
    config = limits.parse_json(json_string, "model_from_json: the JSON")
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("model_from_json: the JSON does not describe a model "
                         "(expected an object with a 'class_name').")
    with limits.loading("model_from_json"):
        return deserialize_keras_object(legacy.normalize_config(config),
                                        custom_objects=custom_objects, safe_mode=safe_mode)


def model_from_config(config, custom_objects=None):
    """tf-keras's `model_from_config`: a model (or layer) from its config dict, Keras 2
    (`{"class_name", "config"}`) or Keras 3 form, uncompiled and freshly initialized.

    Lambdas in the config are refused unless unsafe deserialization was enabled
    (`keras.config.enable_unsafe_deserialization()`).

    Raises:
        TypeError: for a list (a Keras 2.0 `Sequential` layer list; use
            `Sequential.from_config`).
    """
    from neokeras.saving import limits
    from neokeras.saving.serialization import deserialize_keras_object

    if isinstance(config, list):
        raise TypeError("`model_from_config` expects a dictionary, not a list. Received: "
                        f"config={config}. Did you meant to use `Sequential.from_config(config)`?")
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError("model_from_config: expected a config dict with a 'class_name'. "
                         f"Received: {config!r}")
    with limits.loading("model_from_config"):
        return deserialize_keras_object(legacy.normalize_config(config),
                                        custom_objects=custom_objects)


def model_from_yaml(yaml_string, custom_objects=None):
    """Removed, as in tf-keras since TF 2.6: YAML could run arbitrary code.

    Raises:
        RuntimeError: always; use `model.to_json()` and `model_from_json()`.
    """
    raise RuntimeError(
        "Method `model_from_yaml()` has been removed due to security risk of arbitrary code "
        "execution. Please use `Model.to_json()` and `model_from_json()` instead.")


def clone_model(model, custom_objects=None):
    """A new model with the same architecture and freshly initialized weights.

    A compiled model's clone is compiled the same way (a fresh optimizer), as in Keras 3.
    """
    from neokeras.saving.serialization import deserialize_keras_object, serialize_keras_object

    config = serialize_keras_object(model)
    # The model's own class resolves even when it is not registered, as in Keras.
    custom_objects = {type(model).__name__: type(model), **(custom_objects or {})}
    return deserialize_keras_object(config, custom_objects=custom_objects)
