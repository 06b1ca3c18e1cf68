"""Malformed and hostile files: clear errors, no code run, nothing followed outside the file."""

import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import neokeras as nk
from neokeras.saving.h5_utils import UnsafeFileError

from conftest import make_mlp


def _archive(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def saved(tmp_path):
    model = make_mlp(compile=False)
    model.save(tmp_path / "good.keras")
    with zipfile.ZipFile(tmp_path / "good.keras") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return model, members


def test_path_traversal_member_is_refused(tmp_path, saved):
    _, members = saved
    path = _archive(tmp_path / "evil.keras", {**members, "../../evil.txt": b"x"})
    with pytest.raises(UnsafeFileError, match=r"'\.\./\.\./evil\.txt'.*outside the archive"):
        nk.models.load_model(path)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_member_is_refused(tmp_path, saved):
    _, members = saved
    path = _archive(tmp_path / "bomb.keras",
                    {**members, "model.weights.h5": b"\0" * (8 * 2**20)}, zipfile.ZIP_DEFLATED)
    with pytest.raises(UnsafeFileError, match="zip bomb"):
        nk.models.load_model(path)


def test_truncated_and_garbage_files(tmp_path, saved):
    data = (tmp_path / "good.keras").read_bytes()
    (tmp_path / "cut.keras").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a valid .keras archive"):
        nk.models.load_model(tmp_path / "cut.keras")
    (tmp_path / "junk.keras").write_bytes(b"hello, not a model")
    with pytest.raises(ValueError, match="neither a .keras archive"):
        nk.models.load_model(tmp_path / "junk.keras")
    _, members = saved
    bad = _archive(tmp_path / "badjson.keras", {**members, "config.json": b"{not json"})
    with pytest.raises(ValueError, match="config.json' is not valid JSON"):
        nk.models.load_model(bad)
    cut_h5 = _archive(tmp_path / "cuth5.keras",
                      {**members, "model.weights.h5": members["model.weights.h5"][:100]})
    with pytest.raises(ValueError, match="Not a readable HDF5 file"):
        nk.models.load_model(cut_h5)


def test_pickled_npz_weights_are_refused(tmp_path, saved):
    _, members = saved
    path = _archive(tmp_path / "npz.keras", {"metadata.json": members["metadata.json"],
                                             "config.json": members["config.json"],
                                             "model.weights.npz": b"PK"})
    with pytest.raises(ValueError, match="never unpickles"):
        nk.models.load_model(path)


@pytest.mark.parametrize("where", ["class", "function"])
def test_config_naming_os_system_is_refused(tmp_path, saved, monkeypatch, where):
    _, members = saved
    called = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a))
    config = json.loads(members["config.json"])
    if where == "class":
        config["config"]["layers"][1] = {"module": "os", "class_name": "system",
                                         "config": {"command": "echo pwned"}, "registered_name": None}
    else:
        config["config"]["layers"][1]["config"]["activation"] = {
            "module": "os", "class_name": "function", "config": "system",
            "registered_name": "function"}
    path = _archive(tmp_path / "os.keras", {**members, "config.json": json.dumps(config)})
    with pytest.raises(ValueError, match=r"Unknown (class|function) 'system' \(module 'os'\)"):
        nk.models.load_model(path)
    assert called == []


def test_lambda_refused_unless_safe_mode_false():
    serialized = nk.saving.serialize_keras_object(lambda x: x * 3)
    assert serialized["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match="safe_mode=False"):
        nk.saving.deserialize_keras_object(serialized)
    fn = nk.saving.deserialize_keras_object(serialized, safe_mode=False)
    assert fn(2) == 6


def _weights_file(tmp_path, edit):
    model = make_mlp(compile=False)
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with h5py.File(path, "a") as f:
        edit(f)
    return model, path


def test_soft_link_in_weights_is_refused(tmp_path):
    def edit(f):
        del f["layers/dense_1/vars"]
        f["layers/dense_1/vars"] = h5py.SoftLink("/layers/dense/vars")

    model, path = _weights_file(tmp_path, edit)
    before = model.get_weights()
    with pytest.raises(UnsafeFileError, match="SoftLink"):
        model.load_weights(path)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_external_link_and_external_storage_are_refused(tmp_path):
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.create_dataset("secret", data=np.zeros((3, 4), "float32"))

    def link(f):
        del f["layers/dense/vars/0"]
        f["layers/dense/vars/0"] = h5py.ExternalLink(str(other), "/secret")

    model, path = _weights_file(tmp_path, link)
    with pytest.raises(UnsafeFileError, match="ExternalLink"):
        model.load_weights(path)

    raw = tmp_path / "raw.bin"
    raw.write_bytes(np.zeros(12, "float32").tobytes())

    def external(f):
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", shape=(3, 4), dtype="float32",
                         external=[(str(raw), 0, 48)])

    model, path = _weights_file(tmp_path, external)
    with pytest.raises(UnsafeFileError, match="outside this file"):
        model.load_weights(path)


def test_huge_declared_shape_is_refused_before_reading(tmp_path):
    def edit(f):
        del f["layers/dense/vars/0"]
        f.create_dataset("layers/dense/vars/0", shape=(2**40, 2**20), dtype="float32", chunks=(1, 4))

    model, path = _weights_file(tmp_path, edit)
    assert os.path.getsize(path) < 2**20
    with pytest.raises(ValueError, match=r"shape \(1099511627776, 1048576\).*expects shape \(3, 4\)"):
        model.load_weights(path)


def test_legacy_h5_links_are_refused(tmp_path):
    model = make_mlp(compile=False)
    path = tmp_path / "w.h5"
    model.save_weights(path)
    with h5py.File(path, "a") as f:
        del f["dense_1/dense_1/kernel:0"]
        f["dense_1/dense_1/kernel:0"] = h5py.SoftLink("/dense/dense/kernel:0")
    with pytest.raises(UnsafeFileError, match="SoftLink"):
        model.load_weights(path)


def test_weights_only_h5_is_not_a_model(tmp_path):
    model = make_mlp(compile=False)
    model.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match="weights-only file.*load_weights"):
        nk.models.load_model(tmp_path / "w.h5")
    with pytest.raises(FileNotFoundError):
        nk.models.load_model(tmp_path / "missing.keras")
