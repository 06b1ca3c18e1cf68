"""Builders of hostile files (each returns the path it wrote), shared by the isolated tests
and the fuzz test. Each file is small; loading it naively would cost gigabytes or hang."""

import json
import struct
import warnings
import zipfile
import zlib

import h5py
import numpy as np

import neokeras as nk


def mlp():
    return nk.Sequential([nk.Input((3,)), nk.layers.Dense(4), nk.layers.Dense(2)])


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _archive(path, members, compression=zipfile.ZIP_STORED):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are intended here
        with zipfile.ZipFile(path, "w", compression=compression) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return path


def valid_keras(path):
    mlp().save(path)
    return path


def keras_with_config(tmp, name, edit):
    good = valid_keras(tmp / f"{name}.good.keras")
    members = _members(good)
    config = json.loads(members["config.json"])
    config = edit(config) or config
    members["config.json"] = config if isinstance(config, (str, bytes)) else json.dumps(config)
    return _archive(tmp / f"{name}.keras", members.items())


def functional_config(layers, outputs):
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "registered_name": "Functional",
            "config": {"name": "m", "trainable": True, "layers": layers,
                       "input_layers": [["x", 0, 0]], "output_layers": outputs}}


def _input():
    return {"module": "keras.layers", "class_name": "InputLayer", "name": "x", "inbound_nodes": [],
            "config": {"batch_shape": [None, 3], "dtype": "float32", "name": "x"}}


def _tensor(layer, node=0, index=0, shape=(None, 3)):
    return {"class_name": "__keras_tensor__", "config": {
        "shape": list(shape), "dtype": "float32", "keras_history": [layer, node, index]}}


def _op(class_name, module, args, kwargs=None, config=None, name="op"):
    return {"module": module, "class_name": class_name, "registered_name": class_name,
            "name": name, "config": {"name": name, **(config or {})},
            "inbound_nodes": [{"args": args, "kwargs": kwargs or {}}]}


def write_json(path, value):
    path.write_text(value if isinstance(value, str) else json.dumps(value))
    return path


# ---------------------------------------------------------------------- the cases
def huge_units(tmp):
    def edit(config):
        config["config"]["layers"][1]["config"]["units"] = 10**12
    return keras_with_config(tmp, "huge_units", edit)


def huge_input_dim_json(tmp):
    return write_json(tmp / "huge_input_dim.json", {"class_name": "Sequential", "config": {
        "name": "s", "layers": [{"class_name": "Embedding", "config": {
            "name": "emb", "input_dim": 2**30, "output_dim": 64, "batch_input_shape": [None, 5]}}]}})


def op_zeros_without_tensors(tmp):
    layers = [_input(), _op("Zeros", "keras.src.ops.numpy", [[10**6, 10**6]])]
    return keras_with_config(tmp, "zeros", lambda c: functional_config(layers, [["op", 0, 0]]))


def op_arange_huge(tmp):
    layers = [_input(), _op("Arange", "keras.src.ops.numpy", [0, 10**13])]
    return write_json(tmp / "arange.json", functional_config(layers, [["op", 0, 0]]))


def numpy_dtype_trick(tmp):
    array = {"class_name": "__numpy__", "config": {"value": [0], "dtype": "(100000,100000)f8"}}
    layers = [_input(), _op("Add", "keras.src.ops.numpy", [_tensor("x"), array])]
    return write_json(tmp / "dtype_trick.json", functional_config(layers, [["op", 0, 0]]))


def fori_loop(tmp):
    body = {"module": "keras.activations", "class_name": "function", "config": "relu",
            "registered_name": "function"}
    layers = [_input(), _op("ForiLoop", "keras.src.ops.core", [0, 10**12, body, _tensor("x")])]
    return keras_with_config(tmp, "fori", lambda c: functional_config(layers, [["op", 0, 0]]))


def long_chain_reversed(tmp, count=4000):
    layers = [_input()]
    previous = "x"
    for index in range(count):
        layers.append({"module": "keras.layers", "class_name": "Activation", "name": f"a{index}",
                       "config": {"name": f"a{index}", "activation": "relu"},
                       "inbound_nodes": [{"args": [_tensor(previous)], "kwargs": {}}]})
        previous = f"a{index}"
    config = functional_config(layers[:1] + layers[1:][::-1], [[previous, 0, 0]])
    return write_json(tmp / f"chain{count}.json", config)


def missing_output_node(tmp):
    def edit(config):
        inputs = nk.Input((3,))
        model = nk.Model(inputs, nk.layers.Dense(2, name="d")(inputs))
        result = nk.saving.serialize_keras_object(model)
        result["config"]["output_layers"] = [["d", 5, 0]]
        return result
    return keras_with_config(tmp, "missing_output", edit)


def deep_config(tmp):
    return keras_with_config(tmp, "deep", lambda c: "[" * 200_000 + "]" * 200_000)


def long_config(tmp):
    return keras_with_config(tmp, "long", lambda c: {**c, "junk": [0] * 3_000_000})


def duplicate_keys(tmp):
    return keras_with_config(
        tmp, "dupkeys", lambda c: json.dumps(c)[:-1] + ', "class_name": "Dense"}')


def list_config(tmp):
    return keras_with_config(tmp, "listcfg", lambda c: "[1, 2, 3]")


def duplicate_member(tmp):
    good = valid_keras(tmp / "dupmember.good.keras")
    members = list(_members(good).items())
    members.append(("config.json", b'{"class_name": "Sequential", "config": {"layers": []}}'))
    return _archive(tmp / "dupmember.keras", members)


def _patch_sizes(path, member, file_size=None, compress_size=None):
    """Rewrites a member's sizes in its local header and central directory entry."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, offset_compress, offset_file in ((b"PK\x03\x04", 18, 22),
                                                    (b"PK\x01\x02", 20, 24)):
        start = 0
        while True:
            at = data.find(signature, start)
            if at < 0:
                break
            name_offset = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_offset:name_offset + len(name)] == name:
                if compress_size is not None:
                    struct.pack_into("<I", data, at + offset_compress, compress_size)
                if file_size is not None:
                    struct.pack_into("<I", data, at + offset_file, file_size)
            start = at + 4
    path.write_bytes(bytes(data))
    return path


def zip_lies_small(tmp):
    """The weights member inflates to 300 MB while its headers declare 4 KB."""
    good = valid_keras(tmp / "lies_small.good.keras")
    members = _members(good)
    members["model.weights.h5"] = b"\0" * (300 * 2**20)
    path = _archive(tmp / "lies_small.keras", members.items(), zipfile.ZIP_DEFLATED)
    return _patch_sizes(path, "model.weights.h5", file_size=4096)


def zip_lies_large(tmp):
    """A stored member of 1 KB whose headers declare 3.9 GB."""
    good = valid_keras(tmp / "lies_large.good.keras")
    members = _members(good)
    members["model.weights.h5"] = members["model.weights.h5"][:1024]
    path = _archive(tmp / "lies_large.keras", members.items())
    return _patch_sizes(path, "model.weights.h5", file_size=3_900_000_000,
                        compress_size=3_900_000_000)


def _weights(tmp, name, edit):
    path = tmp / f"{name}.weights.h5"
    mlp().save_weights(path)
    with h5py.File(path, "a") as f:
        edit(f)
    return path


def h5_chunk_bomb(tmp):
    """The kernel (3, 4) is stored as one gzip chunk that inflates to 512 MB."""
    def edit(f):
        del f["layers/dense/vars/0"]
        dataset = f.create_dataset("layers/dense/vars/0", shape=(3, 4), dtype="float32",
                                   chunks=(3, 4), compression="gzip")
        dataset.id.write_direct_chunk((0, 0), zlib.compress(b"\0" * (512 * 2**20), 9))
    return _weights(tmp, "chunk_bomb", edit)


def h5_chunk_bomb_small(tmp):
    """A small compressed chunk (1 KB) that inflates to 1 MB, far past its 48 bytes."""
    def edit(f):
        del f["layers/dense/vars/0"]
        dataset = f.create_dataset("layers/dense/vars/0", shape=(3, 4), dtype="float32",
                                   chunks=(3, 4), compression="gzip")
        dataset.id.write_direct_chunk((0, 0), zlib.compress(b"\0" * 2**20, 9))
    return _weights(tmp, "chunk_bomb_small", edit)


def h5_scale_offset(tmp):
    """A dataset with the scale-offset filter and garbage filter parameters."""
    def edit(f):
        del f["layers/dense/vars/0"]
        dataset = f.create_dataset("layers/dense/vars/0", shape=(3, 4), dtype="float32",
                                   chunks=(3, 4), scaleoffset=2)
        dataset.id.write_direct_chunk((0, 0), b"\xff" * 64)
    return _weights(tmp, "scaleoffset", edit)


def h5_huge_declared_shape(tmp):
    def edit(f):
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", shape=(2**40, 2**20), dtype="float32",
                         chunks=(1, 4))
    return _weights(tmp, "huge_shape", edit)


def h5_path_explosion(tmp, depth=40):
    """Each group links twice to the next: 2**40 paths, 41 objects."""
    path = tmp / "paths.weights.h5"
    with h5py.File(path, "w") as f:
        groups = [f.create_group(f"g{level}") for level in range(depth + 1)]
        for level in range(depth):
            groups[level]["a"] = groups[level + 1]
            groups[level]["b"] = groups[level + 1]
        groups[depth].create_dataset("w", data=np.zeros(3, "float32"))
    return path


def h5_hardlink_cycle(tmp):
    def edit(f):
        f["layers/dense/loop"] = f["layers/dense"]
        f["layers/loop"] = f["layers"]
    return _weights(tmp, "cycle", edit)


def npz_huge_shape(tmp):
    path = tmp / "backup.npz"
    arrays = {f"v{i}": np.asarray(w) for i, w in enumerate(mlp().get_weights())}
    arrays.update(num_variables=np.asarray(4), epoch=np.asarray(1), shuffle_seed=np.asarray(0))
    np.savez(path, **arrays)
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }"
    header = header + b" " * (117 - len(header)) + b"\n"
    members["v0.npy"] = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + b"\0" * 64
    return _archive(path, members.items())


def keras2_lambda_json(tmp, fixture):
    with h5py.File(fixture, "r") as f:
        config = f.attrs["model_config"]
    return write_json(tmp / "lambda.json", config.decode() if isinstance(config, bytes) else config)
