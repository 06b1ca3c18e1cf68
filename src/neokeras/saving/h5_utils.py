"""Guarded HDF5 access: h5py imported lazily, links, external data and unknown filters refused.

A file is data, not instructions: soft links, external links, external raw storage and virtual
datasets could make a read touch other files, so any of them is an error. Only the filters a
Keras writer may use (gzip and shuffle) are accepted, and compressed chunks are inflated here
with a bound on their size (a chunk can never expand past its declared size). Dataset shapes
and attribute sizes are compared with what the caller expects before any data is read, so a
"shape bomb" (a huge declared shape) costs nothing.
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


# HDF5 filter ids: the ones inflated here, by name for messages about the others.
_GZIP, _SHUFFLE = 1, 2
_FILTER_NAMES = {1: "gzip", 2: "shuffle", 3: "fletcher32", 4: "szip", 5: "nbit",
                 6: "scale-offset", 32000: "lzf"}


def _filters(dataset):
    plist = dataset.id.get_create_plist()
    return [plist.get_filter(i)[0] for i in range(plist.get_nfilters())]


def check_dataset(dataset):
    """Refuses external or virtual storage and any filter but gzip and shuffle."""
    if dataset.is_virtual or dataset.external:
        raise UnsafeFileError(
            f"Refusing dataset '{dataset.name}': it stores its data outside this file "
            "(virtual or external storage).")
    unknown = [code for code in _filters(dataset) if code not in (_GZIP, _SHUFFLE)]
    if unknown:
        names = [_FILTER_NAMES.get(code, f"filter {code}") for code in unknown]
        raise UnsafeFileError(
            f"Refusing dataset '{dataset.name}': it uses the HDF5 filter(s) {names}; Keras "
            "weight files use none, or gzip and shuffle.")


def read_dataset(dataset, expected_shape, what):
    """Reads `dataset` after checking its storage, shape and type."""
    check_dataset(dataset)
    if tuple(dataset.shape) != tuple(expected_shape):
        raise ValueError(
            f"{what}: the file holds an array of shape {tuple(dataset.shape)}, but the model "
            f"expects shape {tuple(expected_shape)}.")
    if dataset.dtype.kind not in "biuf" or dataset.dtype.itemsize > 8:
        raise ValueError(f"{what}: the file holds data of type {dataset.dtype}, not numbers.")
    if dataset.chunks is not None and _filters(dataset):
        return _read_filtered(dataset, what)
    try:
        return np.asarray(dataset[()])
    except (OSError, RuntimeError) as error:
        raise ValueError(f"{what}: the data of '{dataset.name}' cannot be read ({error}).") \
            from None


def _read_filtered(dataset, what):
    """A gzip/shuffle-compressed chunked dataset, inflated chunk by chunk with a size bound."""
    import zlib

    from neokeras.saving import limits

    filters = _filters(dataset)
    dtype = dataset.dtype
    chunk_shape = dataset.chunks
    chunk_bytes = int(np.prod(chunk_shape)) * dtype.itemsize
    dsid = dataset.id
    count = dsid.get_num_chunks()
    if count > limits.limit("max_h5_objects"):
        raise limits.LoadLimitError(f"{what}: dataset '{dataset.name}' has {count} chunks.")
    fill = dataset.fillvalue
    out = np.full(dataset.shape, fill if fill is not None else 0, dtype=dtype)
    for index in range(count):
        info = dsid.get_chunk_info(index)
        if info.size > chunk_bytes + chunk_bytes // 100 + 1024:
            raise UnsafeFileError(f"{what}: a compressed chunk of '{dataset.name}' is larger "
                                  "than its uncompressed size.")
        mask, data = dsid.read_direct_chunk(info.chunk_offset)
        for position, code in reversed(list(enumerate(filters))):
            if mask & (1 << position):
                continue  # the filter was skipped for this chunk
            if code == _GZIP:
                inflater = zlib.decompressobj()
                try:
                    data = inflater.decompress(data, chunk_bytes + 1)
                except zlib.error as error:
                    raise ValueError(f"{what}: corrupt compressed data in '{dataset.name}' "
                                     f"({error}).") from None
                if len(data) > chunk_bytes or not inflater.eof:
                    raise UnsafeFileError(f"{what}: a compressed chunk of '{dataset.name}' "
                                          "inflates beyond its declared size.")
            else:  # shuffle: byte planes back to elements
                if len(data) % dtype.itemsize:
                    raise ValueError(f"{what}: corrupt shuffled data in '{dataset.name}'.")
                planes = np.frombuffer(data, np.uint8).reshape(dtype.itemsize, -1)
                data = planes.T.tobytes()
        if len(data) != chunk_bytes:
            raise ValueError(f"{what}: a chunk of '{dataset.name}' holds {len(data)} bytes, "
                             f"expected {chunk_bytes}.")
        block = np.frombuffer(data, dtype).reshape(chunk_shape)
        region = tuple(slice(o, min(o + c, n)) for o, c, n in
                       zip(info.chunk_offset, chunk_shape, dataset.shape))
        out[region] = block[tuple(slice(0, r.stop - r.start) for r in region)]
    return out


def read_attr(obj, key, what):
    """An attribute's value after checking its declared size; None when it is absent."""
    from neokeras.saving import limits

    if key not in obj.attrs:
        return None
    h5py = require_h5py()
    attr = h5py.h5a.open(obj.id, key.encode("utf-8"))
    count = int(np.prod(attr.shape)) if attr.shape else 1
    itemsize = attr.dtype.itemsize if attr.dtype.kind != "O" else 16
    if count * itemsize > limits.limit("max_config_bytes"):
        raise limits.LoadLimitError(f"{what}: attribute '{key}' of '{obj.name}' declares "
                                    f"{count * itemsize} bytes.")
    try:
        return obj.attrs[key]
    except (OSError, RuntimeError, TypeError) as error:
        raise ValueError(f"{what}: attribute '{key}' of '{obj.name}' cannot be read "
                         f"({error}).") from None


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
    from neokeras.saving import limits

    if key in group.attrs:
        return _names(read_attr(group, key, "The weights file"))
    result, index = [], 0
    while f"{key}{index}" in group.attrs:
        result.extend(_names(read_attr(group, f"{key}{index}", "The weights file")))
        if len(result) > limits.limit("max_layers") * 64:
            raise limits.LoadLimitError(f"The weights file lists more than {len(result)} "
                                        f"names in '{group.name}'.")
        index += 1
    return result


def _names(value):
    value = decode_attr(value)
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValueError(f"Expected a list of names in the weights file. Received: {value!r:.100}")
    return [str(v) for v in value]


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
