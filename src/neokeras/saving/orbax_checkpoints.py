"""Orbax checkpoint directories, in the layout of Keras 3's `OrbaxCheckpoint` callback.

A checkpoint directory holds one sub-directory per step (`<dir>/<step>/`), each with the
checkpointables `pytree` (the model's `get_state_tree()`), `model_config` (`{"config":
<the model's JSON config>}`, absent for weights-only checkpoints) and, for models with
assets, `assets` (a nested dict of byte arrays mirroring the asset folders). `load_model`
and `load_weights` read such directories, whether Keras or neokeras wrote them.
"""

import json
import os
import tempfile

import numpy as np

# Entries whose presence marks a directory as an Orbax checkpoint (root or one step).
_MARKERS = frozenset({"orbax.checkpoint", "pytree.orbax-checkpoint", "checkpoint_metadata",
                      "_CHECKPOINT_METADATA"})


def _orbax():
    try:
        import orbax.checkpoint as orbax_checkpoint
    except ImportError:
        raise ImportError(
            "Orbax checkpoints need the 'orbax-checkpoint' package: "
            "`pip install orbax-checkpoint`.") from None
    return orbax_checkpoint


def ocp():
    """The Orbax checkpoint v1 API, imported on first use."""
    return _orbax().v1


def multihost():
    """Orbax's multi-process helpers."""
    return _orbax().multihost


def is_orbax_checkpoint(path):
    """Whether `path` is an Orbax checkpoint directory (the root or one step's folder)."""
    if not os.path.isdir(path):
        return False
    try:
        entries = os.listdir(path)
    except OSError:
        return False
    if not _MARKERS.isdisjoint(entries):
        return True
    return any(".orbax-checkpoint-tmp" in entry
               or (entry.isdigit() and os.path.isdir(os.path.join(path, entry)))
               for entry in entries)


def _step_dir(path):
    """The folder of the step to read: `path` itself when it is one step, else its latest."""
    has_steps = any(entry.isdigit() and os.path.isdir(os.path.join(path, entry))
                    for entry in os.listdir(path))
    if not has_steps:
        return path
    latest = ocp().training.Checkpointer(directory=path).latest
    if latest is None:
        raise ValueError(f"No complete checkpoint found in the Orbax directory '{path}'.")
    return os.path.join(path, str(latest.step))


def state_payload(model, weights_only=False):
    """The checkpointables one save writes for `model`."""
    state = model.get_state_tree()
    if weights_only:
        state = {key: state[key] for key in ("trainable_variables", "non_trainable_variables")}
    payload = {"pytree": state}
    if not weights_only:
        from neokeras.saving import saving_lib

        payload["model_config"] = {"config": json.dumps(saving_lib.model_config(model))}
        assets = _assets_tree(model)
        if assets:
            payload["assets"] = assets
    return payload


def load_model(path, custom_objects=None, compile=True, safe_mode=True):
    """Rebuilds the model saved in the latest step of an Orbax checkpoint directory."""
    from neokeras.saving import limits
    from neokeras.saving import saving_lib

    step_dir = _step_dir(path)
    api = ocp()
    with api.Context():
        saved = set(api.checkpointables_metadata(step_dir).metadata)
        if "model_config" not in saved:
            raise ValueError(
                f"The Orbax checkpoint '{step_dir}' holds no model configuration (it was saved "
                "with save_weights_only=True); build the model and use model.load_weights().")
        config = api.load_checkpointables(step_dir, {"model_config": None})["model_config"]
        with limits.loading(f"Loading '{path}'"):
            config = limits.parse_json(config["config"], f"'{step_dir}' model_config")
            model = saving_lib._model_from_config(path, config, custom_objects, compile,
                                                  safe_mode)
        request = {"pytree": _restore_targets(step_dir, model)}
        if "assets" in saved:
            request["assets"] = None
        loaded = api.load_checkpointables(step_dir, request)
    _assign_state(model, loaded["pytree"])
    _load_assets_tree(model, loaded.get("assets"))
    return model


def load_weights(model, path):
    """Assigns the state saved in an Orbax checkpoint (its latest step, or the step folder
    given) to `model`'s variables."""
    step_dir = _step_dir(path)
    api = ocp()
    with api.Context():
        targets = _restore_targets(step_dir, model)
        state = api.load_checkpointables(step_dir, {"pytree": targets})["pytree"]
    _assign_state(model, state)


def _assign_state(model, state):
    """`model.set_state_tree(state)`, also matching (when unambiguous) a saved path that only
    adds outer scopes to a variable's path: a Sequential model rebuilt from its config (in
    Keras too) has `dense/kernel` where the saved model had `sequential/dense/kernel`, and
    the optimizer slot `adam/dense_kernel_momentum` for `adam/sequential_dense_kernel_...`."""
    from neokeras.models.model import _flatten_by_path

    groups = model._state_groups()
    for key, nested in state.items():
        if key not in groups:
            continue
        saved = _flatten_by_path(nested)
        for variable in groups[key]:
            if variable.path in saved:
                variable.assign(saved[variable.path])
                continue
            outer = [p for p in saved if p.endswith("/" + variable.path)]
            if not outer and "/" in variable.path:
                # Optimizer slots join the variable's path with "_": adam/sequential_dense_...
                head, tail = variable.path.split("/", 1)
                outer = [p for p in saved if p.startswith(head + "/") and p.endswith("_" + tail)]
            if len(outer) == 1:
                variable.assign(saved[outer[0]])


def _restore_targets(step_dir, model):
    """The saved state tree's arrays as abstract arrays placed like the model's variables."""
    from neokeras.backend import impl

    saved = ocp().metadata(step_dir, checkpointable_name="pytree").metadata
    current = model.get_state_tree()

    def target(meta, like):
        if isinstance(meta, dict):
            like = like if isinstance(like, dict) else {}
            return {key: target(value, like.get(key)) for key, value in meta.items()}
        if hasattr(meta, "shape") and hasattr(meta, "dtype"):
            return impl.sharded_io.restore_target(meta.shape, meta.dtype, like)
        return meta

    return target(saved, current)


def _assets_tree(model):
    from neokeras.saving import saving_lib

    with tempfile.TemporaryDirectory() as tmp:
        saving_lib.write_assets(model, tmp)
        tree = {}
        for root, _, files in os.walk(tmp):
            for name in files:
                parts = os.path.relpath(os.path.join(root, name), tmp).split(os.sep)
                node = tree
                for part in parts[:-1]:
                    node = node.setdefault(part, {})
                with open(os.path.join(root, name), "rb") as f:
                    node[parts[-1]] = np.frombuffer(f.read(), dtype=np.uint8).copy()
    return tree


def _load_assets_tree(model, tree):
    if not tree:
        return
    from neokeras.saving import saving_lib

    def write(node, directory):
        for name, value in node.items():
            if name in ("", ".", "..") or os.sep in name or (os.altsep and os.altsep in name):
                raise ValueError(f"Orbax checkpoint assets: invalid file name {name!r}.")
            target = os.path.join(directory, name)
            if isinstance(value, dict):
                os.makedirs(target, exist_ok=True)
                write(value, target)
            else:
                with open(target, "wb") as f:
                    f.write(np.asarray(value, dtype=np.uint8).tobytes())

    with tempfile.TemporaryDirectory() as tmp:
        write(tree, tmp)
        saving_lib.read_assets(model, tmp)
