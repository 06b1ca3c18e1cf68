"""`KerasFileEditor`: inspect, compare and edit the weights of a `.keras` or `.weights.h5` file.

The weights are read into nested dicts that follow the file's object paths without its `vars`
level: `{"layers": {"dense": {"0": kernel, "1": bias}}, "optimizer": {"0": ...}}`. An object
that holds both weights and sub-objects (a nested model, a `MultiOptimizer`) keeps both in its
dict, and empty objects are left out. Reading follows no HDF5 link and charges every array to
the loading budget (`neokeras.saving.set_load_limits`).
"""

import collections
import os

import numpy as np

from neokeras.api_export import keras_name
from neokeras.saving import h5_utils
from neokeras.saving import saving_lib

_RULE = "─────────────────────"


@keras_name("keras.saving.KerasFileEditor")
class KerasFileEditor:
    """Inspects, edits and re-saves the weights of a Keras file.

    Useful to adapt a saved weights file to a changed architecture.

    Args:
        filepath: Path of a `.keras` archive or a `.weights.h5` file.

    Attributes:
        weights_dict: The weights as nested dicts of numpy arrays (see the module docstring).
        object_metadata: `{"/object/path": {attribute: value}}`, e.g. the saved object names.
        config, metadata: The model config and the archive metadata (`.keras` files only).

    Example:

    >>> editor = KerasFileEditor("my_model.weights.h5")
    >>> editor.summary()
    >>> editor.delete_object("layers/dense_2")
    >>> editor.add_object("layers/einsum_dense", weights={"0": kernel, "1": bias})
    >>> editor.save("edited_model.weights.h5")
    """

    def __init__(self, filepath):
        from neokeras.saving import limits

        self.filepath = filepath
        self.metadata = None
        self.config = None
        self.model = None
        path = os.fspath(filepath)
        with limits.loading(f"Reading '{path}'"):
            if path.endswith(".keras"):
                zf, names = saving_lib.open_archive(path)
                with zf:
                    self.config = saving_lib.read_json_member(zf, saving_lib.CONFIG_FILENAME)
                    if saving_lib.METADATA_FILENAME in names:
                        self.metadata = saving_lib.read_json_member(
                            zf, saving_lib.METADATA_FILENAME)
                    source = saving_lib._weights_member(zf, names, path)
            elif path.endswith(".weights.h5"):
                source = path
            else:
                raise ValueError("Invalid filename: expected a `.keras` or `.weights.h5` "
                                 f"extension. Received: filepath={path}")
            self.object_metadata = {}
            with h5_utils.open_h5(source) as h5file:
                self.weights_dict = self._read_group(h5file, "")
        print(f"Keras model file '{path}'")
        if isinstance(self.metadata, dict):
            print(f"Saved with Keras {self.metadata.get('keras_version')} - date: "
                  f"{self.metadata.get('date_saved')}")

    def _read_group(self, group, path):
        h5py = h5_utils.require_h5py()
        from neokeras.saving import limits

        result = collections.OrderedDict()
        variables = h5_utils.get(group, "vars", kind="group", where=f" in '{self.filepath}'")
        # An object's attributes (its saved name) are those of its `vars` group when it holds
        # weights, else the group's own.
        described = variables if variables is not None and len(variables) else group
        if described.attrs:
            self.object_metadata[path] = _attributes(described)
        if variables is not None:
            for key in variables.keys():
                dataset = h5_utils.get(variables, key, where=f" in '{self.filepath}'")
                if not isinstance(dataset, h5py.Dataset):
                    continue
                what = f"weight '{path}/{key}'"
                limits.current_budget().charge(
                    int(np.prod(dataset.shape, dtype=object)) * dataset.dtype.itemsize, what)
                result[key] = h5_utils.read_dataset(dataset, dataset.shape, what)
        for key in group.keys():
            if key == "vars" and variables is not None:
                continue
            child = h5_utils.get(group, key, where=f" in '{self.filepath}'")
            if isinstance(child, h5py.Group):
                sub = self._read_group(child, f"{path}/{key}")
                if sub:
                    result[key] = sub
        return result

    # ------------------------------------------------------------------ inspecting
    def summary(self):
        """Prints the weight structure of the opened file."""
        print("Weights structure")
        self._print_tree(self.weights_dict, "  ", "", [True])

    def _print_tree(self, tree, prefix, path, first):
        for index, (key, value) in enumerate(tree.items()):
            last = index == len(tree) - 1
            connector = "> " if first[0] else "└─ " if last else "├─ "
            first[0] = False
            if isinstance(value, dict):
                label = f"{prefix}{connector}{key}"
                name = self.object_metadata.get(f"{path}/{key}", {}).get("name")
                print(label + (f" ('{name}')" if name is not None else ""))
                self._print_tree(value, prefix + ("    " if last else "│   "), f"{path}/{key}",
                                 first)
            else:
                value = np.asarray(value)
                print(f"{prefix}{connector}{key}: shape={value.shape}, dtype={value.dtype}")

    def compare(self, reference_model):
        """Lists the differences between the file and `reference_model`'s weights.

        Args:
            reference_model: The model to compare the file to.

        Returns:
            A dict: `"status"` (`"success"` or `"error"`), `"error_count"` (missing objects or
            weights on either side, and shape mismatches) and `"match_count"` (weights present
            on both sides with the same shape).
        """
        print("Running comparison")
        reference = _weight_spec(reference_model)
        errors, matches = self._compare(self.weights_dict, reference, "", "saved file",
                                        "reference model", count_matches=True)
        errors += self._compare(reference, self.weights_dict, "", "reference model",
                                "saved file", count_matches=False)[0]
        print(_RULE)
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not "
                  "compatible with the reference model")
        return {"status": "success" if errors == 0 else "error", "error_count": errors,
                "match_count": matches}

    def _compare(self, target, reference, path, target_name, reference_name, count_matches):
        """Errors for what `reference` has and `target` lacks or shapes differently."""
        errors = matches = 0
        for key, value in reference.items():
            inner = f"{path}/{key}"
            if key not in target:
                errors += 1
                kind = "Object" if isinstance(value, dict) else "Weight"
                print(f"...{kind} {inner} present in {reference_name}, missing from "
                      f"{target_name}")
                if isinstance(value, dict):
                    print(f"    In {reference_name}, {inner} contains the following keys: "
                          f"{list(value)}")
            elif isinstance(value, dict) or isinstance(target[key], dict):
                if not (isinstance(value, dict) and isinstance(target[key], dict)):
                    errors += 1
                    print(f"...{inner} is an object in one and a weight in the other")
                    continue
                sub_errors, sub_matches = self._compare(target[key], value, inner, target_name,
                                                        reference_name, count_matches)
                errors += sub_errors
                matches += sub_matches
            elif count_matches:  # shapes are checked once, in the first direction
                mine, theirs = _shape(target[key]), _shape(value)
                if mine != theirs:
                    errors += 1
                    print(f"...Weight shape mismatch for {inner}\n    In {reference_name}: "
                          f"shape={theirs}\n    In {target_name}: shape={mine}")
                else:
                    matches += 1
        return errors, matches

    # ------------------------------------------------------------------ editing
    def _edit_object(self, edit, source_name, target_name=None):
        if target_name is not None and "/" in target_name:
            raise ValueError("Argument `target_name` should be a leaf name, not a full path "
                             f"name. Received: target_name='{target_name}'")
        if "/" in source_name:
            elements = source_name.split("/")
            tree = self.weights_dict
            for element in elements[:-1]:
                if not isinstance(tree, dict) or element not in tree:
                    raise ValueError(f"Path '{source_name}' not found in model.")
                tree = tree[element]
            if not isinstance(tree, dict) or elements[-1] not in tree:
                raise ValueError(f"Path '{source_name}' not found in model.")
            edit(tree, elements[-1], target_name)
            return
        holders = []
        _find(self.weights_dict, source_name, holders)
        if len(holders) > 1:
            raise ValueError(f"Name '{source_name}' occurs more than once in the model; try "
                             "passing a complete path")
        if not holders:
            raise ValueError(f"Source name '{source_name}' does not appear in the model. Use "
                             "`editor.summary()` to list all objects.")
        edit(holders[0], source_name, target_name)

    def rename_object(self, object_name, new_name):
        """Renames an object (e.g. a layer).

        Args:
            object_name: Name or path of the object (`"dense_2"` or `"layers/dense_2"`).
            new_name: Its new (leaf) name.
        """

        def rename(tree, source, target):
            tree[target] = tree.pop(source)

        self._edit_object(rename, object_name, new_name)

    def delete_object(self, object_name):
        """Removes an object (e.g. a layer), given its name or path."""

        def delete(tree, source, target):
            tree.pop(source)

        self._edit_object(delete, object_name)

    def add_object(self, object_path, weights):
        """Adds an object (e.g. a layer).

        Args:
            object_path: Full path of the new object (e.g. `"layers/dense_2"`).
            weights: Dict of weight names (usually `"0"`, `"1"`, ...) to arrays.
        """
        _check_weights(weights)
        elements = object_path.split("/")
        tree = self.weights_dict
        for element in elements[:-1]:
            if not isinstance(tree, dict) or element not in tree:
                raise ValueError(f"Path '{'/'.join(elements[:-1])}' not found in model.")
            tree = tree[element]
        tree[elements[-1]] = weights

    def delete_weight(self, object_name, weight_name):
        """Removes one weight (e.g. `"0"`) of an object given by name or path."""

        def delete(tree, source, target):
            if not isinstance(tree[source], dict) or weight_name not in tree[source]:
                found = list(tree[source]) if isinstance(tree[source], dict) else []
                raise ValueError(f"Weight {weight_name} not found in object {object_name}. "
                                 f"Weights found: {found}")
            tree[source].pop(weight_name)

        self._edit_object(delete, object_name)

    def add_weights(self, object_name, weights):
        """Adds weights (a dict of names to arrays) to an object given by name or path."""
        _check_weights(weights)

        def add(tree, source, target):
            tree[source].update(weights)

        self._edit_object(add, object_name)

    # ------------------------------------------------------------------ saving
    def save(self, filepath):
        """Writes the (edited) weights to a `.weights.h5` file.

        Args:
            filepath: Destination; must end in `.weights.h5`.
        """
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError("Invalid `filepath` argument: expected a `.weights.h5` extension. "
                             f"Received: filepath={filepath}")
        h5py = h5_utils.require_h5py()

        def write(tmp):
            with h5py.File(tmp, "w") as h5file:
                self._write_group(h5file, self.weights_dict, "")

        saving_lib.atomic_write(filepath, write)

    def resave_weights(self, filepath):
        """Same as `save`."""
        self.save(filepath)

    def _write_group(self, h5file, tree, path):
        arrays = {k: v for k, v in tree.items() if not isinstance(v, dict)}
        if arrays:
            group = h5file.create_group(f"{path}/vars" if path else "vars")
            name = self.object_metadata.get(f"/{path}", {}).get("name")
            if name is not None:
                group.attrs["name"] = name
            for key, value in arrays.items():
                group.create_dataset(str(key), data=np.asarray(value))
        for key, value in tree.items():
            if isinstance(value, dict) and value:
                self._write_group(h5file, value, f"{path}/{key}" if path else key)


def _attributes(group):
    return {key: h5_utils.decode_attr(value) for key, value in group.attrs.items()}


def _shape(value):
    return tuple(value.shape) if isinstance(value, _WeightSpec) else tuple(np.shape(value))


class _WeightSpec:
    """Shape and dtype of a weight a model would save."""

    def __init__(self, shape, dtype):
        self.shape, self.dtype = tuple(shape), dtype

    def __repr__(self):
        return f"<weight shape={self.shape}, dtype={self.dtype}>"


def _find(tree, name, holders):
    """Appends every dict (at any depth) holding the key `name`."""
    for value in tree.values():
        if isinstance(value, dict):
            _find(value, name, holders)
    if name in tree:
        holders.append(tree)


def _check_weights(weights):
    if not isinstance(weights, dict):
        raise ValueError("Argument `weights` should be a dict where keys are weight names "
                         "(usually '0', '1', etc.) and values are NumPy arrays. "
                         f"Received: type(weights)={type(weights)}")


def _weight_spec(model):
    """The weight shapes `model` would save, as nested dicts like `weights_dict`."""
    spec = {}
    for path, obj in saving_lib.saveables(model):
        if hasattr(obj, "save_own_variables"):
            store = {}
            obj.save_own_variables(store)
            shapes = {str(k): _WeightSpec(np.shape(v), np.asarray(v).dtype)
                      for k, v in sorted(store.items())}
        else:
            shapes = {str(i): _WeightSpec(v.shape, v.dtype)
                      for i, v in enumerate(saving_lib.own_variables(obj))}
        if not shapes:
            continue
        tree = spec
        for element in [p for p in path.split("/") if p]:
            tree = tree.setdefault(element, {})
        tree.update(shapes)
    return spec
