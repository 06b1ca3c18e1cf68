"""The legacy Keras 2 HDF5 formats: full models (`model.save("m.h5")`) and weights files.

Reading accepts files from tf-keras (Keras 2 configs: `batch_input_shape`, string dtypes,
nested-list inbound nodes, `Custom>Adam` optimizer names, `:0` weight names) and from Keras 3's
legacy writer. Writing produces the Keras 2 flavour, which tf-keras and Keras 3 can both load.
Weights are matched to layers by order (or by layer name), never by the names inside the file.
"""

import json
import warnings

import numpy as np

from neokeras.saving import h5_utils
from neokeras.saving import sharded

_KERAS3_ONLY_OPTIMIZER_KEYS = ("loss_scale_factor", "gradient_accumulation_steps")
# Keras 3 config keys that tf-keras rejects; dropped when they hold the default (None).
_KERAS3_ONLY_NONE_KEYS = ("input_axes", "output_axes", "quantization_config")


# ---------------------------------------------------------------------- configs
def normalize_config(config):
    """A model config (either generation) in the form our `from_config`s read."""
    import neokeras.models.functional  # noqa: F401 (registers Functional's Keras name)

    config = dict(config)
    module = config.get("module") or ""
    # tf-keras wrote `keras.src.engine.functional` / `tf_keras.src.engine.functional` and Keras 2
    # configs may say "Model": all mean our Functional (resolved by registry, never imported).
    if config.get("class_name") in ("Functional", "Model") \
            and config.get("registered_name") in (None, "Functional", "Model") \
            and (not module or module.endswith(".functional") or module in ("keras", "keras.models")):
        config["module"] = "keras.src.models.functional"
        config["class_name"] = "Functional"
    return config


def to_keras2_config(value):
    """Rewrites a Keras 3 serialized object tree in Keras 2 form (no module keys, string dtypes)."""
    if isinstance(value, list):
        return [to_keras2_config(v) for v in value]
    if not isinstance(value, dict):
        return value
    class_name = value.get("class_name")
    if class_name == "DTypePolicy" and isinstance(value.get("config"), dict):
        return value["config"].get("name", "float32")
    if class_name == "function" and isinstance(value.get("config"), str):
        return value["config"]
    if isinstance(class_name, str) and "config" in value and not class_name.startswith("__"):
        registered = value.get("registered_name")
        result = {"class_name": registered if registered and registered != "function" else class_name,
                  "config": to_keras2_config(value["config"])}
        inner = result["config"]
        if isinstance(inner, dict):
            for key in _KERAS3_ONLY_NONE_KEYS:
                if key in inner and inner[key] is None:
                    del inner[key]  # tf-keras refuses arguments it does not know
            if "batch_shape" in inner and class_name == "InputLayer":
                inner["batch_input_shape"] = inner.pop("batch_shape")
            if class_name == "Sequential":
                _sequential_to_keras2(inner)
            if class_name == "Functional":
                _functional_to_keras2(inner)
        for key in ("name", "inbound_nodes"):
            if key in value:
                result[key] = value[key] if key == "name" else _nodes_to_keras2(value[key])
        return result
    return {k: to_keras2_config(v) for k, v in value.items()}


def _sequential_to_keras2(config):
    layers = config.get("layers", [])
    config.pop("build_input_shape", None)
    if layers and layers[0]["class_name"] == "InputLayer" and len(layers) > 1:
        shape = layers[0]["config"].get("batch_input_shape")
        layers[1]["config"].setdefault("batch_input_shape", shape)


def _functional_to_keras2(config):
    # tf-keras numbers the nodes of nested functional models, and of nested Sequentials that
    # start with an InputLayer, from 1 everywhere; Keras 3 node arguments count from 0 and
    # Keras 3 `output_layers` already count functional models from 1.
    node_shift, endpoint_shift = {}, {}
    for entry in config.get("layers", []):
        inner = entry.get("config") if isinstance(entry, dict) else None
        if not isinstance(inner, dict):
            continue
        if entry.get("class_name") in ("Functional", "Model"):
            node_shift[entry.get("name")] = 1
        elif entry.get("class_name") == "Sequential" and inner.get("layers") \
                and inner["layers"][0].get("class_name") == "InputLayer":
            node_shift[entry.get("name")] = endpoint_shift[entry.get("name")] = 1
    for entry in config.get("layers", []):
        for node in entry.get("inbound_nodes", []) if isinstance(entry, dict) else []:
            for reference in node if isinstance(node, list) else []:
                reference[1] += node_shift.get(reference[0], 0)
    for key in ("input_layers", "output_layers"):
        value = config.get(key)
        if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
            value = config[key] = [value]
        for reference in value or []:
            if isinstance(reference, list) and reference:
                reference[1] += endpoint_shift.get(reference[0], 0)


def _nodes_to_keras2(nodes):
    result = []
    for node in nodes:
        if not isinstance(node, dict):
            result.append(node)
            continue
        args = node.get("args", [])
        tensors = args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)
        kwargs = dict(node.get("kwargs", {}))
        states = kwargs.get("initial_state")
        if isinstance(states, list) and states and all(_is_tensor_config(t) for t in states):
            # Keras 2 recurrent layers take their initial states as extra inputs.
            tensors = list(tensors) + states
            del kwargs["initial_state"]
        kwargs = {k: to_keras2_config(v) for k, v in kwargs.items()}
        result.append([list(t["config"]["keras_history"][:3]) + [kwargs]
                       for t in tensors if isinstance(t, dict)])
    return result


def _is_tensor_config(value):
    return isinstance(value, dict) and value.get("class_name") == "__keras_tensor__"


def training_config(model):
    """The Keras 2 `training_config` of a compiled model."""
    from neokeras.saving.serialization import serialize_keras_object

    compile_config = serialize_keras_object(model.get_compile_config())
    optimizer = serialize_keras_object(model.optimizer)
    optimizer_config = to_keras2_config(optimizer)
    for key in _KERAS3_ONLY_OPTIMIZER_KEYS:
        optimizer_config["config"].pop(key, None)
    return {"loss": _long_names(to_keras2_config(compile_config.get("loss"))),
            "metrics": _long_names(to_keras2_config(compile_config.get("metrics"))),
            "weighted_metrics": _long_names(to_keras2_config(compile_config.get("weighted_metrics"))),
            "loss_weights": compile_config.get("loss_weights"),
            "optimizer_config": optimizer_config}


# Keras 3.15's legacy loader cannot compile the short aliases; both generations read these.
_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
            "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error"}


def _long_names(value):
    if isinstance(value, str):
        return _ALIASES.get(value.lower(), value)
    if isinstance(value, list):
        return [_long_names(v) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _long_names(v) for k, v in value.items()}
    return value


def compile_config_from_training_config(config):
    """A Keras 3 compile config from a Keras 2 (or Keras 3 legacy) `training_config`."""
    result = {"optimizer": config.get("optimizer_config", "rmsprop"),
              "loss": _legacy_objects(config.get("loss")),
              "metrics": _legacy_metrics(config.get("metrics")),
              "weighted_metrics": _legacy_metrics(config.get("weighted_metrics")),
              "loss_weights": config.get("loss_weights")}
    for key in ("run_eagerly", "steps_per_execution", "jit_compile"):
        if key in config:
            result[key] = config[key]
    return result


def _legacy_objects(value):
    if isinstance(value, list):
        return [_legacy_objects(v) for v in value]
    if isinstance(value, dict) and "class_name" in value:
        if value["class_name"] in ("MeanMetricWrapper", "SumOverBatchSizeMetricWrapper") \
                and "fn" in value.get("config", {}):
            return _metric_name(value["config"])
        if value["class_name"] == "function":
            return value["config"]
        return value
    if isinstance(value, dict):
        return {k: _legacy_objects(v) for k, v in value.items()}
    return value


def _metric_name(config):
    from neokeras import metrics

    name, fn = config.get("name"), config.get("fn")
    try:
        metrics.get(name)
        return name
    except (ValueError, TypeError):
        return fn


def _legacy_metrics(value):
    value = _legacy_objects(value)
    # tf-keras writes metrics per output: [[...]] for a single output model.
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        return value[0]
    return value


# ---------------------------------------------------------------------- weights: save
def _legacy_layer_weights(layer):
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def write_weights_group(model, group):
    """Writes the Keras 2 `model_weights` layout into `group`."""
    import neokeras

    layers = list(model.layers)
    h5_utils.write_name_list(group, "layer_names", [layer.name for layer in layers])
    group.attrs["backend"] = "jax"
    group.attrs["keras_version"] = f"neokeras-{neokeras.__version__}"
    # Keras 2 names a weight by its path below the model ("dense/kernel:0"; Keras 3 paths
    # of a Sequential's weights start with the model's name).
    prefix = f"{model.path}/"
    for layer in sorted(layers, key=lambda l: l.name):
        sub = group.create_group(layer.name)
        names = []
        for index, variable in enumerate(_legacy_layer_weights(layer)):
            path = variable.path[len(prefix):] if variable.path.startswith(prefix) else variable.path
            name = f"{path}:0"
            if name in names:
                name = f"{path}_{index}:0"
            names.append(name)
            sub.create_dataset(name, data=sharded.host_value(variable))
        h5_utils.write_name_list(sub, "weight_names", names)
    top = group.create_group("top_level_model_weights")
    h5_utils.write_name_list(top, "weight_names", [])


def save_model(model, filepath, include_optimizer=True):
    """Writes `model` as a Keras 2 style HDF5 file (atomically)."""
    import neokeras
    from neokeras.saving import saving_lib
    from neokeras.saving.serialization import serialize_keras_object

    serialized = serialize_keras_object(model)
    serialized.pop("compile_config", None)
    serialized.pop("build_config", None)
    model_config = json.dumps(to_keras2_config(serialized))
    train_config = None
    if include_optimizer and getattr(model, "compiled", False) and model.optimizer is not None:
        train_config = json.dumps(training_config(model))
    h5py = h5_utils.require_h5py()

    def write(tmp):
        with h5py.File(tmp, "w") as f:
            f.attrs["keras_version"] = f"neokeras-{neokeras.__version__}"
            f.attrs["backend"] = "jax"
            f.attrs["model_config"] = model_config.encode("utf8")
            write_weights_group(model, f.create_group("model_weights"))
            if train_config is not None:
                f.attrs["training_config"] = train_config.encode("utf8")
                variables = model.optimizer.variables
                opt = f.create_group("optimizer_weights")
                h5_utils.write_name_list(opt, "weight_names", [v.path for v in variables])
                for variable in variables:
                    opt.create_dataset(variable.path, data=sharded.host_value(variable))

    with sharded.gathered(sharded.model_variables(model)) as writer:
        if writer:
            saving_lib.atomic_write(filepath, write)


def save_weights(model, filepath):
    """Writes a Keras 2 style weights-only HDF5 file (layers at the root)."""
    from neokeras.saving import saving_lib

    h5py = h5_utils.require_h5py()

    def write(tmp):
        with h5py.File(tmp, "w") as f:
            write_weights_group(model, f)

    with sharded.gathered(sharded.model_variables(model)) as writer:
        if writer:
            saving_lib.atomic_write(filepath, write)


# ---------------------------------------------------------------------- weights: load
def _saved_layers(group):
    names = h5_utils.read_name_list(group, "layer_names")
    result = []
    for name in names:
        sub = h5_utils.get(group, name, kind="group")
        if sub is None:
            raise ValueError(f"The weights file lists layer '{name}' but has no group for it.")
        weight_names = h5_utils.read_name_list(sub, "weight_names")
        if weight_names:
            result.append((name, sub, weight_names))
    return result


def _read_layer(layer, sub, weight_names, skip_mismatch):
    """The values for `layer`, or None when skipped; raises on mismatch otherwise."""
    variables = _legacy_layer_weights(layer)
    what = f"Layer '{layer.name}'"
    try:
        if len(variables) != len(weight_names):
            raise ValueError(
                f"{what} ({type(layer).__name__}) has {len(variables)} weights, but the file "
                f"holds {len(weight_names)} for it: {weight_names}.")
        values = []
        for variable, name in zip(variables, weight_names):
            dataset = h5_utils.get(sub, name, kind="dataset")
            if dataset is None:
                raise ValueError(f"{what}: the file has no dataset '{name}'.")
            values.append(h5_utils.read_dataset(dataset, variable.shape,
                                                f"{what} weight '{name}'"))
        return list(zip(variables, values))
    except h5_utils.UnsafeFileError:
        raise
    except ValueError as error:
        if skip_mismatch:
            warnings.warn(f"Skipping loading weights for {what}: {error}", stacklevel=4)
            return None
        raise


def load_weights_from_group(model, group, by_name=False, skip_mismatch=False):
    """Loads Keras 2 layout weights; all values are checked before any is assigned."""
    saved = _saved_layers(group)
    layers = [layer for layer in model.layers if _legacy_layer_weights(layer)]
    assignments = []
    if by_name:
        by = {name: (sub, weight_names) for name, sub, weight_names in saved}
        for layer in layers:
            if layer.name in by:
                found = _read_layer(layer, *by[layer.name], skip_mismatch)
                assignments.extend(found or [])
    else:
        if len(saved) != len(layers):
            raise ValueError(
                f"The weights file holds weights for {len(saved)} layers "
                f"({[name for name, _, _ in saved]}), but model '{model.name}' has "
                f"{len(layers)} layers with weights ({[l.name for l in layers]}). Use "
                "by_name=True to match layers by name.")
        for layer, (_, sub, weight_names) in zip(layers, saved):
            found = _read_layer(layer, sub, weight_names, skip_mismatch)
            assignments.extend(found or [])
    for variable, value in assignments:
        sharded.assign(variable, value)


def load_weights(model, filepath, by_name=False, skip_mismatch=False):
    from neokeras.saving import limits

    with limits.loading(f"Loading weights from '{filepath}'"), h5_utils.open_h5(filepath) as f:
        group = h5_utils.get(f, "model_weights", kind="group") if "model_weights" in f else f
        load_weights_from_group(model, group, by_name=by_name, skip_mismatch=skip_mismatch)


def _load_optimizer_weights(model, f):
    from neokeras.saving import saving_lib

    group = h5_utils.get(f, "optimizer_weights", kind="group") if "optimizer_weights" in f else None
    if group is None:
        return
    optimizer = model.optimizer
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    names = h5_utils.read_name_list(group, "weight_names")
    ours = optimizer.variables
    first = h5_utils.get(group, names[0], kind="dataset") if names else None
    targets = saving_lib.optimizer_targets(len(names), ours,
                                           first is not None and first.dtype.kind in "iu")
    if len(targets) != len(names):
        warnings.warn(
            f"Skipping the optimizer state: the file holds {len(names)} optimizer variables, "
            f"optimizer '{optimizer.name}' has {len(ours)}.", stacklevel=3)
        return
    values = []
    for variable, name in zip(targets, names):
        dataset = h5_utils.get(group, name, kind="dataset")
        if dataset is None:
            raise ValueError(f"The file lists optimizer weight '{name}' but has no dataset for it.")
        values.append(h5_utils.read_dataset(dataset, variable.shape, f"Optimizer weight '{name}'"))
    for variable, value in zip(targets, values):
        sharded.assign(variable, value)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a full model from a legacy HDF5 file (tf-keras or Keras 3 writer)."""
    from neokeras.saving.object_registration import custom_object_scope
    from neokeras.saving.saving_lib import compile_from_config
    from neokeras.saving.serialization import SafeModeScope, deserialize_keras_object

    from neokeras.saving import limits

    with limits.loading(f"Loading '{filepath}'"), h5_utils.open_h5(filepath) as f:
        raw = h5_utils.read_attr(f, "model_config", f"'{filepath}'")
        if raw is None:
            raise ValueError(
                f"'{filepath}' holds no model config: it is a weights-only file. Build the model "
                "and call model.load_weights() instead.")
        config = _json_attr(raw, "model_config")
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(f"'{filepath}': the model_config attribute does not describe a "
                             "model (expected an object with a 'class_name').")
        with SafeModeScope(safe_mode), custom_object_scope(custom_objects):
            model = deserialize_keras_object(normalize_config(config),
                                             custom_objects=custom_objects, safe_mode=safe_mode)
            load_weights_from_group(model, h5_utils.get(f, "model_weights", kind="group") or f)
            raw_training = h5_utils.read_attr(f, "training_config", f"'{filepath}'")
            if compile and raw_training is not None:
                training = _json_attr(raw_training, "training_config")
                if not isinstance(training, dict):
                    raise ValueError(f"'{filepath}': the training_config attribute is not an "
                                     "object.")
                compile_from_config(model, compile_config_from_training_config(training))
                _load_optimizer_weights(model, f)
    return model


def _json_attr(raw, key):
    from neokeras.saving import limits

    raw = h5_utils.decode_attr(raw)
    if not isinstance(raw, str):
        raise ValueError(f"The file's '{key}' attribute is not a JSON string.")
    return limits.parse_json(raw, f"The file's '{key}' attribute")
