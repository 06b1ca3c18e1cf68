"""Guarded HDF5 access: h5py imported lazily, links and external storage refused.

A file is data, not instructions: soft links, external links, external raw storage and virtual
datasets could make a read touch other files, so any of them is an error. Dataset shapes are
compared with what the caller expects before any data is read, so a "shape bomb" (a huge
declared shape) costs nothing.
"""

import io

import numpy as np


def require_h5py():
    try:
        import h5py
    except ImportError as error:  # pragma: no cover - h5py is a declared dependency
        raise ImportError(
            "Reading and writing .h5 / .keras files needs the `h5py` package: "
            "pip install h5py") from error
    return h5py


class UnsafeFileError(ValueError):
    """The file contains structures neokeras refuses to follow (links, external data)."""


def open_h5(source, mode="r"):
    """Opens a path or a bytes buffer as an h5py File."""
    h5py = require_h5py()
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    try:
        return h5py.File(source, mode)
    except OSError as error:
        raise ValueError(f"Not a readable HDF5 file ({error}).") from error


def get(group, name, kind=None, where=""):
    """`group[name]` after checking that no component is a soft or external link."""
    h5py = require_h5py()
    node = group
    for part in [p for p in str(name).split("/") if p]:
        if not isinstance(node, h5py.Group):
            return None
        link = node.get(part, getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            raise UnsafeFileError(
                f"Refusing to follow the {type(link).__name__} at '{node.name}/{part}'{where}: "
                "weight files must not link to other objects or files.")
        node = node[part]
    if isinstance(node, h5py.Dataset):
        check_dataset(node)
    if kind == "group" and not isinstance(node, h5py.Group):
        return None
    if kind == "dataset" and not isinstance(node, h5py.Dataset):
        return None
    return node


def check_dataset(dataset):
    if dataset.is_virtual or dataset.external:
        raise UnsafeFileError(
            f"Refusing dataset '{dataset.name}': it stores its data outside this file "
            "(virtual or external storage).")


def read_dataset(dataset, expected_shape, what):
    """Reads `dataset` after checking its shape against `expected_shape`."""
    check_dataset(dataset)
    if tuple(dataset.shape) != tuple(expected_shape):
        raise ValueError(
            f"{what}: the file holds an array of shape {tuple(dataset.shape)}, but the model "
            f"expects shape {tuple(expected_shape)}.")
    if dataset.dtype.kind not in "biuf":
        raise ValueError(f"{what}: the file holds data of type {dataset.dtype}, not numbers.")
    return np.asarray(dataset[()])


def decode_attr(value):
    """An attribute as str / list of str, whether stored as bytes or str."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [decode_attr(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [decode_attr(v) for v in value]
    return value


def read_name_list(group, key):
    """A list attribute, joining the chunked form `key0`, `key1`, ... Keras uses past 64 KiB."""
    if key in group.attrs:
        return [str(v) for v in decode_attr(group.attrs[key])]
    result, index = [], 0
    while f"{key}{index}" in group.attrs:
        result.extend(str(v) for v in decode_attr(group.attrs[f"{key}{index}"]))
        index += 1
    return result


_ATTR_LIMIT = 64512


def write_name_list(group, key, names):
    """Writes a list of names, chunked as Keras does when it exceeds the header limit."""
    data = np.asarray([n.encode("utf-8") for n in names], dtype="S") if names \
        else np.asarray([], dtype="float64")
    if data.nbytes <= _ATTR_LIMIT:
        group.attrs[key] = data
        return
    chunks = int(np.ceil(data.nbytes / _ATTR_LIMIT))
    while any(part.nbytes > _ATTR_LIMIT for part in np.array_split(data, chunks)):
        chunks += 1
    for index, part in enumerate(np.array_split(data, chunks)):
        group.attrs[f"{key}{index}"] = part
