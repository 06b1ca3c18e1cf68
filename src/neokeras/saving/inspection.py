"""`inspect(path)`: what a model or weights file holds, read without building anything."""

import os
import zipfile
import zlib

from neokeras.saving import h5_utils


def _layer_entries(config):
    """(name, class, registered_name, module) for each layer listed in a model config."""
    inner = config.get("config", {}) if isinstance(config, dict) else {}
    layers = inner.get("layers", []) if isinstance(inner, dict) else []
    result = []
    for layer in layers if isinstance(layers, list) else []:
        if not isinstance(layer, dict):
            continue
        layer_config = layer.get("config", {})
        name = layer.get("name") or (layer_config.get("name") if isinstance(layer_config, dict) else None)
        result.append((name, layer.get("class_name"), layer.get("registered_name"),
                       layer.get("module")))
    return result


def _custom_objects(value, found):
    """Registered names or non-Keras modules anywhere in a serialized tree."""
    if isinstance(value, list):
        for v in value:
            _custom_objects(v, found)
    elif isinstance(value, dict):
        registered = value.get("registered_name")
        module = value.get("module")
        class_name = value.get("class_name")
        if registered and registered != "function" and ">" in str(registered):
            found.add(registered)
        elif isinstance(class_name, str) and ">" in class_name:
            found.add(class_name)
        elif module and not str(module).startswith("keras") and class_name:
            found.add(f"{module}.{class_name}")
        for v in value.values():
            _custom_objects(v, found)


def _weight_shapes(group):
    """{dataset path: shape} for every dataset, reading no data, following no soft or external
    link and visiting each object once (hard-link cycles and shared groups are listed as links)."""
    from neokeras.saving import limits

    h5py = h5_utils.require_h5py()
    cap = limits.limit("max_h5_objects")
    shapes, seen = {}, {h5py.h5o.get_info(group.id).addr}
    stack = [(group, "")]
    while stack:
        node, prefix = stack.pop()
        for key in sorted(node.keys(), reverse=True):
            if len(shapes) >= cap:
                shapes["..."] = f"<more than {cap} objects: listing stopped>"
                return shapes
            link = node.get(key, getlink=True)
            path = f"{prefix}{key}"
            if not isinstance(link, h5py.HardLink):
                shapes[path] = f"<{type(link).__name__}: refused>"
                continue
            child = node[key]
            address = h5py.h5o.get_info(child.id).addr
            if address in seen:
                shapes[path] = "<hard link to an object listed before>"
                continue
            seen.add(address)
            if isinstance(child, h5py.Dataset):
                shapes[path] = tuple(child.shape)
            else:
                stack.append((child, path + "/"))
    return dict(sorted(shapes.items()))


def _model_info(config, where):
    if not isinstance(config, dict):
        raise ValueError(f"{where} is not a model config (expected a JSON object, got "
                         f"{type(config).__name__}).")
    found = set()
    _custom_objects(config, found)
    return {"model_class": config.get("class_name"), "layers": _layer_entries(config),
            "custom_objects": sorted(found)}


def _open_weights(zf, names):
    """The weights member as something h5py can open: the member itself when stored
    uncompressed (nothing read in full), else its bytes within the loading limits."""
    from neokeras.saving import saving_lib

    info = zf.getinfo(saving_lib.WEIGHTS_FILENAME)
    if info.compress_type == zipfile.ZIP_STORED:
        return zf.open(info)
    return saving_lib.read_member(zf, saving_lib.WEIGHTS_FILENAME)


def describe(path):
    """A dict describing the file at `path` (format, versions, layers, weights, custom objects)."""
    from neokeras.saving import limits

    with limits.loading(f"Inspecting '{os.fspath(path)}'"):
        return _describe(os.fspath(path))


def _describe(path):
    from neokeras.saving import limits, saving_api, saving_lib

    kind = saving_api._sniff(path)
    info = {"path": path}
    if kind == "zip":
        zf, names = saving_lib.open_archive(path)
        with zf:
            config = saving_lib.read_json_member(zf, saving_lib.CONFIG_FILENAME)
            metadata = saving_lib.read_json_member(zf, saving_lib.METADATA_FILENAME) \
                if saving_lib.METADATA_FILENAME in names else {}
            if not isinstance(metadata, dict):
                metadata = {}
            info.update(format="keras (Keras 3 zip archive)", members=names,
                        keras_version=metadata.get("keras_version"),
                        date_saved=metadata.get("date_saved"),
                        compiled=isinstance(config, dict) and "compile_config" in config,
                        **_model_info(config, "config.json"))
            if saving_lib.WEIGHTS_FILENAME in names:
                try:
                    with h5_utils.open_h5(_open_weights(zf, names)) as f:
                        info["weights"] = _weight_shapes(f)
                except (EOFError, zipfile.BadZipFile, zlib.error, OSError, RuntimeError) as error:
                    raise ValueError(f"'{path}': the weights member cannot be read "
                                     f"({type(error).__name__}: {error}).") from None
        return info
    if kind != "h5":
        raise ValueError(f"'{path}' is neither a .keras archive nor an HDF5 file.")
    with h5_utils.open_h5(path) as f:
        def attr(key):
            return h5_utils.decode_attr(h5_utils.read_attr(f, key, f"'{path}'"))

        if "model_config" in f.attrs:
            text = attr("model_config")
            config = limits.parse_json(text if isinstance(text, str) else "", "model_config")
            info.update(format="h5 (legacy Keras HDF5 model)", keras_version=attr("keras_version"),
                        backend=attr("backend"), compiled="training_config" in f.attrs,
                        **_model_info(config, "The model_config attribute"))
        elif "layer_names" in f.attrs or "layer_names0" in f.attrs:
            info.update(format="h5 (legacy Keras weights)", keras_version=attr("keras_version"),
                        backend=attr("backend"),
                        layers=[(n, None, None, None) for n in h5_utils.read_name_list(f, "layer_names")])
        else:
            info.update(format="weights.h5 (Keras 3 weights)")
        info["weights"] = _weight_shapes(f)
    return info


def inspect(path, print_fn=print):
    """Prints what a `.keras`, `.h5` or `.weights.h5` file contains, without building a model.

    Args:
        path: The file.
        print_fn: Where lines go (default `print`).

    Returns:
        The description as a dict.
    """
    info = describe(path)
    print_fn(f"File: {info['path']}")
    print_fn(f"Format: {info['format']}")
    for key in ("keras_version", "backend", "date_saved", "model_class", "compiled"):
        if info.get(key) is not None:
            print_fn(f"{key.replace('_', ' ').capitalize()}: {info[key]}")
    if info.get("layers"):
        print_fn("Layers:")
        for name, class_name, registered, _ in info["layers"]:
            label = registered or class_name
            print_fn(f"  {name}" + (f" ({label})" if label else ""))
    if "custom_objects" in info:
        needed = info["custom_objects"]
        print_fn("Custom objects needed: " + (", ".join(needed) if needed else "none"))
    if info.get("weights"):
        print_fn("Weights:")
        for key, shape in info["weights"].items():
            print_fn(f"  {key}: {shape}")
    return info
