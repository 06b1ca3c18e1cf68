"""The Keras 3 formats: `.keras` zip archives and `.weights.h5` files.

Weights are found by walking the object tree the way Keras does: a model's `layers` first (path
`layers/<snake_case class>`, numbered `_1`, `_2`, ... within the list), then every other
attribute holding a layer or an optimizer (path = attribute name), public names before private
ones, skipping attributes every bare `Layer`/`Model`/`Optimizer` has (so a `MultiOptimizer`'s
inner optimizers are under `optimizer/optimizers/<snake_case class>`, a `LossScaleOptimizer`'s
under `optimizer/inner_optimizer`). Each object's own variables live in
the group `<path>/vars` as datasets `"0"`, `"1"`, ... with the object's name as attribute.
"""

import datetime
import io
import json
import os
import shutil
import tempfile
import uuid
import warnings
import zipfile
import zlib

import numpy as np

from neokeras.saving import h5_utils
from neokeras.saving import sharded

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
_MEMBERS = (METADATA_FILENAME, CONFIG_FILENAME, WEIGHTS_FILENAME)
# Members larger than this, or inflating more than _MAX_RATIO times, are refused (zip bombs).
MAX_MEMBER_BYTES = 8 * 2**30
MAX_JSON_BYTES = 64 * 2**20
_MAX_RATIO = 200


# ---------------------------------------------------------------------- atomic writes
def atomic_write(path, write):
    """Calls `write(tmp_path)` then renames onto `path`; on any error `path` is untouched.

    The temporary file is created with the permissions the umask gives (as a plain `open`
    would), and names the writing process, so that the next save into the same directory can
    remove what a killed save left behind.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    remove_stale_temporaries(directory, os.path.basename(path))
    tmp = _temporary_name(directory, os.path.basename(path))
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _temporary_name(directory, base):
    return os.path.join(directory, f".{base}.{os.getpid()}.{uuid.uuid4().hex}.tmp")


def remove_stale_temporaries(directory, base):
    """Deletes `.{base}.{pid}.{hex}.tmp` files (or directories) left by dead processes."""
    prefix = f".{base}."
    try:
        names = [n for n in os.listdir(directory) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid, _, rest = name[len(prefix):].partition(".")
        if not pid.isdigit() or len(rest) != 36 or _process_alive(int(pid)):
            continue
        stale = os.path.join(directory, name)
        if os.path.isdir(stale) and not os.path.islink(stale):
            shutil.rmtree(stale, ignore_errors=True)
        else:
            try:
                os.remove(stale)
            except OSError:
                pass


def _process_alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


# ---------------------------------------------------------------------- the object walk
def _is_layer(obj):
    from neokeras.layers.layer import Layer

    return isinstance(obj, Layer)


def _is_saveable(obj):
    from neokeras.optimizers.optimizer import Optimizer

    return _is_layer(obj) or isinstance(obj, Optimizer)


_SKIPSETS = {}


def _skipset(obj):
    """Attribute names that every bare instance of `obj`'s framework base class has."""
    from neokeras.layers.layer import Layer
    from neokeras.models.model import Model
    from neokeras.models.sequential import Sequential
    from neokeras.optimizers.optimizer import Optimizer

    if isinstance(obj, Optimizer):
        base = Optimizer
    else:
        base = Sequential if isinstance(obj, Sequential) else Model if isinstance(obj, Model) \
            else Layer
    if base not in _SKIPSETS:
        bare = base(name="skipset_probe")
        _SKIPSETS[base] = set(dir(bare)) - {"optimizer"}
    return _SKIPSETS[base]


def _children(obj):
    """(attribute, value) pairs to visit below `obj`, in Keras's order."""
    if not _is_saveable(obj):
        return
    # Only Sequential and Functional list their layers first; subclassed models go by attribute.
    # (Keras's `Pipeline` exposes its layers as `layers` too, walked first by name order.)
    if any(c.__name__ in ("Sequential", "Functional", "Pipeline") for c in type(obj).__mro__):
        yield "layers", obj.layers
    skip = _skipset(obj)
    for attr in sorted(dir(obj), key=lambda n: "~" + n if n.startswith("_") else n):
        if attr.startswith("__") or attr in skip:
            continue
        try:
            value = getattr(obj, attr)
        except Exception:  # properties that are not available in this state
            continue
        yield attr, value


def saveables(root):
    """Every saveable object under `root` as `(inner_path, object)`, root first ("")."""
    from neokeras.backend.common.naming import to_snake_case

    visited, found = set(), []

    def visit(obj, path):
        if id(obj) in visited:
            return
        visited.add(id(obj))
        found.append((path, obj))
        for attr, value in _children(obj):
            child_path = f"{path}/{attr}" if path else attr
            if _is_saveable(value):
                visit(value, child_path)
            elif isinstance(value, (list, tuple, dict)):
                visit_container(value, child_path)

    def visit_container(container, path):
        used = {}
        items = list(container.values()) if isinstance(container, dict) else list(container)
        for item in items:
            if _is_saveable(item):
                name = _unique(to_snake_case(type(item).__name__), used)
                visit(item, f"{path}/{name}")
            elif isinstance(item, (list, tuple, dict)) and item:
                visit_container(item, f"{path}/{_unique('container', used)}")

    visit(root, "")
    return found


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def own_variables(obj):
    """The variables an object stores itself (not those of its sublayers), in file order."""
    if _is_layer(obj):
        return list(obj._trainable_variables) + list(obj._non_trainable_variables)
    return list(obj.variables)


def _vars_path(path):
    return f"{path}/vars" if path else "vars"


# ---------------------------------------------------------------------- weights: save
def write_weights(model, h5file):
    """Writes every saveable's variables into an open h5py File (Keras 3 layout)."""
    for path, obj in saveables(model):
        group = h5file.create_group(_vars_path(path))
        group.attrs["name"] = str(obj.name)
        if hasattr(obj, "save_own_variables"):
            # Layers whose state is not plain variables (lookup tables) write named entries.
            store = {}
            obj.save_own_variables(store)
            for key, value in store.items():
                group.create_dataset(str(key), data=np.asarray(value))
            continue
        for index, variable in enumerate(own_variables(obj)):
            group.create_dataset(str(index), data=sharded.host_value(variable))


def weights_bytes(model):
    h5py = h5_utils.require_h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        write_weights(model, f)
    return buffer.getvalue()


# ---------------------------------------------------------------------- weights: load
def read_weights(model, h5file, skip_mismatch=False):
    """Reads and checks every value, then assigns them all (nothing is assigned on error)."""
    from neokeras.optimizers.optimizer import Optimizer

    assignments, custom_loads = [], []
    for path, obj in saveables(model):
        variables = own_variables(obj)
        is_optimizer = isinstance(obj, Optimizer)
        group = h5_utils.get(h5file, _vars_path(path), kind="group", where=" in the weights")
        if hasattr(obj, "load_own_variables"):
            store = {}
            for key in (group.keys() if group is not None else ()):
                dataset = h5_utils.get(group, key, kind="dataset")
                if dataset is not None:
                    store[key] = np.asarray(dataset[()])
            custom_loads.append((obj, store))
            continue
        if group is None:
            if variables and not is_optimizer:
                if skip_mismatch:
                    continue
                raise ValueError(
                    f"The weights file has no entry '{_vars_path(path)}' for "
                    f"{type(obj).__name__} '{obj.name}', which has {len(variables)} variables. "
                    "Was the file saved from a different architecture?")
            continue
        saved = len(group)
        if is_optimizer:
            if saved != len(variables) and not obj.built:
                obj.build(model.trainable_variables)
                variables = own_variables(obj)
            variables = optimizer_targets(saved, variables, _is_integer_dataset(group, "0"))
            if saved == len(variables) - 2 and hasattr(obj, "dynamic_scale"):
                # A LossScaleOptimizer saved by neokeras before it had Keras's own iteration
                # and learning rate: [step_counter, dynamic_scale, inner optimizer's...].
                variables = variables[2:]
            if saved != len(variables):
                warnings.warn(
                    f"Skipping the optimizer state: the file holds {saved} optimizer variables, "
                    f"optimizer '{obj.name}' has {len(variables)}.", stacklevel=3)
                continue
        elif saved != len(variables):
            if skip_mismatch:
                continue
            raise ValueError(
                f"{type(obj).__name__} '{obj.name}' (file entry '{_vars_path(path)}') has "
                f"{len(variables)} variables, but the file holds {saved}.")
        values = []
        try:
            for index, variable in enumerate(variables):
                dataset = h5_utils.get(group, str(index), kind="dataset")
                if dataset is None:
                    raise ValueError(f"missing dataset '{group.name}/{index}'")
                values.append(h5_utils.read_dataset(
                    dataset, variable.shape,
                    f"{type(obj).__name__} '{obj.name}' variable {index} ('{variable.path}')"))
        except h5_utils.UnsafeFileError:
            raise
        except ValueError:
            if skip_mismatch:
                continue
            raise
        assignments.extend(zip(variables, values))
    for variable, value in assignments:
        sharded.assign(variable, value)
    for obj, store in custom_loads:
        obj.load_own_variables(store)


def optimizer_targets(saved, variables, first_is_integer):
    """Which optimizer variables `saved` stored values map onto, in order."""
    if saved == len(variables) - 1 and saved and first_is_integer:
        # tf-keras: [iteration, slots...] without a learning-rate variable.
        return variables[:1] + variables[2:]
    if saved == 2 and len(variables) > 2:
        # Saved before the optimizer was built: only iteration and learning rate.
        return variables[:2]
    return variables


def _is_integer_dataset(group, key):
    dataset = h5_utils.get(group, key, kind="dataset")
    return dataset is not None and dataset.dtype.kind in "iu"


# ---------------------------------------------------------------------- assets
# Layers holding files rather than arrays (vocabularies) implement `save_assets(dir)` and
# `load_assets(dir)`; each gets the folder `assets/<inner path>`, as in Keras.
ASSETS_DIRNAME = "assets"


def _asset_dir(base, path):
    return os.path.join(base, *path.split("/")) if path else base


def write_assets(model, directory):
    for path, obj in saveables(model):
        if hasattr(obj, "save_assets"):
            target = _asset_dir(directory, path)
            os.makedirs(target, exist_ok=True)
            obj.save_assets(target)


def read_assets(model, directory):
    for path, obj in saveables(model):
        target = _asset_dir(directory, path)
        if hasattr(obj, "load_assets") and os.path.isdir(target):
            obj.load_assets(target)


def _asset_members(model):
    """(archive name, bytes) of every asset file the model's layers write."""
    members = []
    with tempfile.TemporaryDirectory() as tmp:
        write_assets(model, tmp)
        for root, _, files in os.walk(tmp):
            for name in sorted(files):
                full = os.path.join(root, name)
                rel = os.path.relpath(full, tmp).replace(os.sep, "/")
                with open(full, "rb") as f:
                    members.append((f"{ASSETS_DIRNAME}/{rel}", f.read()))
    return members


def _extract_assets(zf, names, directory):
    prefix = ASSETS_DIRNAME + "/"
    for name in names:
        if name.startswith(prefix) and not name.endswith("/"):
            target = os.path.join(directory, *name[len(prefix):].split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(read_member(zf, name))


# ---------------------------------------------------------------------- .keras archives
def _metadata():
    import neokeras

    return {"keras_version": _keras_version(), "date_saved":
            datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
            "producer": f"neokeras {neokeras.__version__}"}


def _keras_version():
    # The Keras API version whose files we write; real Keras reads it as a version string.
    return "3.15.1"


def model_config(model):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(model)


def is_file_object(filepath):
    """Whether `filepath` is an open binary file object (e.g. `io.BytesIO`) rather than a path."""
    return hasattr(filepath, "read") or hasattr(filepath, "write")


def save_model(model, filepath):
    """Writes `model` as a Keras 3 `.keras` zip archive: atomically to a path, or into an open
    binary file object (e.g. `io.BytesIO`, as scikeras pickles models). In a multi-process job
    every process calls it; only process 0 writes a path, every process its own file object."""
    with sharded.gathered(sharded.model_variables(model)) as writer:
        if writer or is_file_object(filepath):
            _save_model(model, filepath)


def _save_model(model, filepath):
    config = json.dumps(model_config(model))
    metadata = json.dumps(_metadata())
    weights = weights_bytes(model)
    assets = _asset_members(model)

    def write(tmp):
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(METADATA_FILENAME, metadata)
            zf.writestr(CONFIG_FILENAME, config)
            zf.writestr(WEIGHTS_FILENAME, weights)
            for name, data in assets:
                zf.writestr(name, data)

    if is_file_object(filepath):
        write(filepath)
    else:
        atomic_write(filepath, write)


# ---------------------------------------------------------------------- unzipped directories
# What a directory written by `save(zipped=False)` may hold (Keras also makes an `assets` folder).
_DIR_ENTRIES = frozenset(_MEMBERS + ("assets",))


def save_model_dir(model, dirpath):
    """Writes `model` unzipped: a directory holding the three members of a `.keras` archive.

    The files go into a new sibling directory that is then renamed onto `dirpath`, so a failed
    save leaves any previous model there intact. In a multi-process job only process 0 writes.
    """
    with sharded.gathered(sharded.model_variables(model)) as writer:
        if writer:
            _save_model_dir(model, dirpath)


def _save_model_dir(model, dirpath):
    dirpath = os.path.abspath(os.fspath(dirpath))
    if os.path.lexists(dirpath) and not _is_model_dir(dirpath):
        raise ValueError(
            f"'{dirpath}' exists and is not a saved model directory (it may only hold "
            f"{sorted(_DIR_ENTRIES)}); refusing to replace it.")
    config = json.dumps(model_config(model))
    metadata = json.dumps(_metadata())
    h5py = h5_utils.require_h5py()
    parent, base = os.path.split(dirpath)
    remove_stale_temporaries(parent, base)
    tmp = _temporary_name(parent, base)
    os.mkdir(tmp)
    try:
        for name, text in ((METADATA_FILENAME, metadata), (CONFIG_FILENAME, config)):
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        with h5py.File(os.path.join(tmp, WEIGHTS_FILENAME), "w") as f:
            write_weights(model, f)
        write_assets(model, os.path.join(tmp, ASSETS_DIRNAME))
        _replace_dir(tmp, dirpath)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _is_model_dir(path):
    return os.path.isdir(path) and not os.path.islink(path) \
        and set(os.listdir(path)) <= _DIR_ENTRIES


def _replace_dir(new, target):
    """Renames directory `new` onto `target`, moving an existing `target` aside first."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    old = f"{new}.old"
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def read_model_dir(dirpath):
    """(config, weights file path) of a directory written by `save(zipped=False)`."""
    from neokeras.saving import limits

    config_path = os.path.join(dirpath, CONFIG_FILENAME)
    cap = limits.limit("max_config_bytes")
    with open(config_path, "rb") as f:
        data = f.read(cap + 1)
    config = limits.parse_json(data, f"'{config_path}'")
    weights = os.path.join(dirpath, WEIGHTS_FILENAME)
    if not os.path.isfile(weights):
        names = sorted(os.listdir(dirpath))
        hint = (" It stores its weights as model.weights.npz, which holds pickled objects; "
                "neokeras never unpickles files." if "model.weights.npz" in names else "")
        raise ValueError(f"'{dirpath}' holds no '{WEIGHTS_FILENAME}' (entries: {names[:10]}).{hint}")
    return config, weights


def open_archive(filepath):
    """Opens a `.keras` zip after checking member names and sizes; returns (zipfile, names)."""
    try:
        zf = zipfile.ZipFile(filepath, "r")
    except zipfile.BadZipFile as error:
        raise ValueError(f"'{filepath}' is not a valid .keras archive (not a zip file: {error}).") \
            from error
    from neokeras.saving import limits

    try:
        names = []
        infos = zf.infolist()
        zf.fp.seek(0, os.SEEK_END)
        archive_size = zf.fp.tell()
        if len(infos) > limits.limit("max_archive_members"):
            raise limits.LoadLimitError(f"'{filepath}' has {len(infos)} archive members, over "
                                        f"the limit of {limits.limit('max_archive_members')}.")
        for info in infos:
            name = info.filename
            parts = name.replace("\\", "/").split("/")
            if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                raise h5_utils.UnsafeFileError(
                    f"'{filepath}': refusing archive member '{name}' (a path outside the archive).")
            if info.file_size > MAX_MEMBER_BYTES or (
                    info.file_size > 2**20 and info.file_size > _MAX_RATIO * max(info.compress_size, 1)):
                raise h5_utils.UnsafeFileError(
                    f"'{filepath}': refusing archive member '{name}': it declares "
                    f"{info.file_size} bytes from {info.compress_size} compressed (a zip bomb?).")
            if info.header_offset + info.compress_size > archive_size:
                raise h5_utils.UnsafeFileError(f"'{filepath}': archive member '{name}' declares "
                                 f"{info.compress_size} bytes, past the end of the file.")
            if name in names:
                raise h5_utils.UnsafeFileError(
                    f"'{filepath}': the archive holds two members named '{name}'.")
            names.append(name)
        for required in (CONFIG_FILENAME,):
            if required not in names:
                raise ValueError(f"'{filepath}' is not a .keras archive: it has no '{required}' "
                                 f"(members: {names[:10]}).")
        return zf, names
    except BaseException:
        zf.close()
        raise


def read_member(zf, name, limit=MAX_MEMBER_BYTES):
    """Reads a member in pieces, never more than its declared size, `limit` or the loading
    budget (the bytes actually produced count, whatever the header says)."""
    from neokeras.saving import limits

    info = zf.getinfo(name)
    if info.file_size > limit:
        raise h5_utils.UnsafeFileError(f"Archive member '{name}' is too large ({info.file_size} bytes).")
    budget = limits.current_budget()
    if budget is not None:
        budget.charge(info.file_size, f"archive member '{name}'")
    pieces, size = [], 0
    try:
        with zf.open(info) as handle:
            while size <= info.file_size:
                piece = handle.read(min(_READ_PIECE, info.file_size + 1 - size))
                if not piece:
                    break
                pieces.append(piece)
                size += len(piece)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as error:
        raise ValueError(f"Archive member '{name}' is corrupt or truncated ({error}).") from error
    if size != info.file_size:
        raise ValueError(f"Archive member '{name}' does not match its declared size.")
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


_READ_PIECE = 64 * 2**20


def read_json_member(zf, name):
    from neokeras.saving import limits

    data = read_member(zf, name, min(MAX_JSON_BYTES, limits.limit("max_config_bytes")))
    return limits.parse_json(data, f"Archive member '{name}'")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a `.keras` archive (a path or an open binary file object), or an unzipped model
    directory, written by neokeras or Keras 3."""
    from neokeras.saving import limits

    with limits.loading(f"Loading '{filepath}'"):
        return _load_model(filepath, custom_objects, compile, safe_mode)


def _load_model(filepath, custom_objects, compile, safe_mode):
    if not is_file_object(filepath) and os.path.isdir(filepath):
        config, weights = read_model_dir(filepath)
        model = _model_from_config(filepath, config, custom_objects, compile, safe_mode)
        return _restore(model, weights, os.path.join(filepath, ASSETS_DIRNAME), None)
    zf, names = open_archive(filepath)
    with zf:
        config = read_json_member(zf, CONFIG_FILENAME)
        # The model is built (its variables charged to the budget) before the weights member
        # is read, so an oversized model is refused naming its layer.
        model = _model_from_config(filepath, config, custom_objects, compile, safe_mode)
        weights = _weights_member(zf, names, filepath)
        assets_tmp = assets_dir = None
        if any(n.startswith(ASSETS_DIRNAME + "/") for n in names):
            assets_tmp = tempfile.TemporaryDirectory()
            assets_dir = assets_tmp.name
            _extract_assets(zf, names, assets_dir)
    return _restore(model, weights, assets_dir, assets_tmp)


def _model_from_config(filepath, config, custom_objects, compile, safe_mode):
    from neokeras.saving import legacy
    from neokeras.saving.object_registration import custom_object_scope
    from neokeras.saving.serialization import SafeModeScope, deserialize_keras_object

    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"'{filepath}': config.json does not describe a model (expected an "
                         f"object with a 'class_name', got {type(config).__name__}).")
    config = legacy.normalize_config(config)
    if not compile:
        config.pop("compile_config", None)
    with SafeModeScope(safe_mode), custom_object_scope(custom_objects):
        return deserialize_keras_object(config, custom_objects=custom_objects,
                                        safe_mode=safe_mode)


def _restore(model, weights, assets_dir, assets_tmp):
    try:
        with h5_utils.open_h5(weights) as f:
            read_weights(model, f)
        if assets_dir is not None and os.path.isdir(assets_dir):
            read_assets(model, assets_dir)
    finally:
        if assets_tmp is not None:
            assets_tmp.cleanup()
    return model


def _weights_member(zf, names, filepath):
    if WEIGHTS_FILENAME in names:
        return read_member(zf, WEIGHTS_FILENAME)
    if "model.weights.npz" in names:
        raise ValueError(
            f"'{filepath}' stores its weights as model.weights.npz, which holds pickled objects; "
            "neokeras never unpickles files. Re-save the model with the default h5 weights.")
    raise ValueError(f"'{filepath}' holds no '{WEIGHTS_FILENAME}' (members: {names[:10]}).")


def load_weights_from_archive(model, filepath, skip_mismatch=False):
    from neokeras.saving import limits

    with limits.loading(f"Loading weights from '{filepath}'"):
        zf, names = open_archive(filepath)
        with zf:
            weights = _weights_member(zf, names, filepath)
        with h5_utils.open_h5(weights) as f:
            read_weights(model, f, skip_mismatch=skip_mismatch)


# ---------------------------------------------------------------------- compile configs
def compile_from_config(model, config):
    """Compiles `model` from a (Keras 3 or Keras 2 `training_config`) compile config."""
    from neokeras import losses, metrics, optimizers
    from neokeras.saving.serialization import deserialize_keras_object

    config = dict(config)
    optimizer = config.pop("optimizer", "rmsprop")
    if isinstance(optimizer, dict):
        optimizer = optimizers.deserialize(_clean_optimizer_config(optimizer))

    def objects(value, family):
        if isinstance(value, dict) and "class_name" in value:
            return deserialize_keras_object(value)
        if isinstance(value, dict):
            return {k: objects(v, family) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [objects(v, family) for v in value]
        if isinstance(value, str):
            return _bind_custom_name(value, family)
        return value

    kwargs = {k: objects(config.get(k), losses if k == "loss" else metrics)
              for k in ("loss", "metrics", "weighted_metrics")}
    kwargs["loss_weights"] = config.get("loss_weights")
    for key in ("run_eagerly", "steps_per_execution", "jit_compile"):
        if config.get(key) is not None:  # tf-keras writes null for these
            kwargs[key] = config[key]
    model.compile(optimizer=optimizer, **kwargs)
    if getattr(model, "built", False) and model.optimizer is not None \
            and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


def _bind_custom_name(name, family):
    """A custom loss or metric named in a config, resolved now (while `custom_objects` and
    `custom_object_scope` apply) rather than when the first batch builds the metrics."""
    from neokeras.saving.object_registration import get_custom_object

    if name in family.ALL_FUNCTIONS or name in family.ALL_CLASSES:
        return name
    found = get_custom_object(name)
    if found is None:
        return name
    return found() if isinstance(found, type) else found


_KERAS2_OPTIMIZER_KEYS = ("is_legacy_optimizer", "jit_compile")


def _clean_optimizer_config(config):
    """Keras 2 optimizer configs: `Custom>Adam` names and keys Keras 3 dropped."""
    from neokeras.saving.serialization import resolve

    config = dict(config)
    class_name = config.get("class_name", "")
    registered = config.get("registered_name")
    if class_name.startswith("Custom>") and resolve(class_name, registered_name=registered) is None:
        config["class_name"] = class_name[len("Custom>"):]
    inner = {k: v for k, v in dict(config.get("config", {})).items()
             if k not in _KERAS2_OPTIMIZER_KEYS}
    config["config"] = inner
    return config
