"""`get_file`: download, hash check, cache layout (compared with real Keras), safe extraction."""

import hashlib
import io
import os
import tarfile
import time
import zipfile

import pytest

from local_server import LocalServer, closed_port_url
from neokeras.utils import file_utils, get_file

PAYLOAD = b"neokeras test payload\n" * 500


def _tree(root):
    out = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as f:
                out[os.path.relpath(full, root)] = f.read()
    return out


def _write_tar(path, members, mode="w:gz"):
    """`members`: name -> bytes, or name -> ("symlink"|"hardlink", target)."""
    with tarfile.open(path, mode) as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            if isinstance(content, tuple):
                info.type = tarfile.SYMTYPE if content[0] == "symlink" else tarfile.LNKTYPE
                info.linkname = content[1]
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "data.bin").write_bytes(PAYLOAD)
    _write_tar(root / "bundle.tar.gz", {"bundle/a.txt": b"A", "bundle/sub/b.txt": b"B"})
    with zipfile.ZipFile(root / "bundle.zip", "w") as z:
        z.writestr("bundle/a.txt", b"A")
        z.writestr("c.txt", b"C")
    with LocalServer(root) as server:
        yield server


@pytest.fixture
def home(tmp_path, monkeypatch):
    path = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(path))
    return path


SHA256 = hashlib.sha256(PAYLOAD).hexdigest()
MD5 = hashlib.md5(PAYLOAD).hexdigest()


@pytest.mark.parametrize("hash_kwargs", [
    {}, {"file_hash": SHA256}, {"file_hash": MD5}, {"md5_hash": MD5},
    {"file_hash": SHA256, "hash_algorithm": "sha256"}, {"file_hash": MD5, "hash_algorithm": "md5"},
])
def test_downloads_once_into_keras_home(served, home, capsys, hash_kwargs):
    path = get_file("data.bin", f"{served.url}/data.bin", **hash_kwargs)
    assert path == str(home / "datasets" / "data.bin")
    with open(path, "rb") as f:
        assert f.read() == PAYLOAD
    assert f"Downloading data from {served.url}/data.bin" in capsys.readouterr().out
    assert get_file("data.bin", f"{served.url}/data.bin", **hash_kwargs) == path
    assert served.requests == ["/data.bin"]  # the second call used the cache
    assert not os.path.exists(path + ".part")


def test_name_from_url_cache_dir_and_subdir(served, tmp_path):
    path = get_file(origin=f"{served.url}/data.bin?x=1", cache_dir=tmp_path / "c",
                    cache_subdir="models")
    assert path == str(tmp_path / "c" / "models" / "data.bin")
    absolute = tmp_path / "elsewhere"
    assert get_file("d.bin", f"{served.url}/data.bin",
                    cache_subdir=str(absolute)) == str(absolute / "d.bin")


def test_default_home_is_dot_keras(served, tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert file_utils.keras_home() == str(tmp_path / ".keras")
    path = get_file("data.bin", f"{served.url}/data.bin")
    assert path == str(tmp_path / ".keras" / "datasets" / "data.bin")


def test_existing_cache_is_reused_without_network(home):
    target = home / "datasets" / "mnist.npz"
    target.parent.mkdir(parents=True)
    target.write_bytes(PAYLOAD)
    url = closed_port_url("mnist.npz")
    assert get_file("mnist.npz", url, file_hash=SHA256) == str(target)


def test_stale_cached_file_is_downloaded_again(served, home, capsys):
    target = home / "datasets" / "data.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"truncated")
    get_file("data.bin", f"{served.url}/data.bin", file_hash=SHA256)
    assert target.read_bytes() == PAYLOAD
    assert "hash does not match" in capsys.readouterr().out


def test_force_download(served, home):
    get_file("data.bin", f"{served.url}/data.bin")
    get_file("data.bin", f"{served.url}/data.bin", force_download=True)
    assert served.requests == ["/data.bin", "/data.bin"]


def test_hash_mismatch_raises_and_removes_file(served, home):
    with pytest.raises(ValueError, match=f"hash is {SHA256}, expected {'0' * 64}"):
        get_file("data.bin", f"{served.url}/data.bin", file_hash="0" * 64)
    assert not (home / "datasets" / "data.bin").exists()


def test_offline_fails_fast_naming_url_and_cache_path(home):
    url = closed_port_url("mnist.npz")
    start = time.perf_counter()
    with pytest.raises(ConnectionError) as info:
        get_file("mnist.npz", url)
    assert time.perf_counter() - start < 5
    message = str(info.value)
    assert url in message and str(home / "datasets" / "mnist.npz") in message
    assert not (home / "datasets" / "mnist.npz").exists()


def test_http_error_names_status(served, home):
    with pytest.raises(ConnectionError, match="HTTP 404"):
        get_file("nope.bin", f"{served.url}/nope.bin")


@pytest.mark.parametrize("kwargs", [
    {"fname": "bundle.tar.gz", "extract": True},
    {"fname": "bundle", "extract": True},
    {"fname": None, "origin_name": "bundle.tar.gz", "extract": True},
    {"fname": "bundle.zip", "extract": True, "origin_name": "bundle.zip"},
    {"fname": "bundle", "extract": True, "origin_name": "bundle.zip", "archive_format": "zip"},
    {"fname": "bundle", "untar": True},
    {"fname": "bundle.tar.gz", "extract": False},
])
def test_archive_layout_matches_keras(served, tmp_path, kwargs):
    keras = pytest.importorskip("keras")
    kwargs = dict(kwargs)
    origin = f"{served.url}/{kwargs.pop('origin_name', 'bundle.tar.gz')}"
    (tmp_path / "keras").mkdir()  # Keras falls back to /tmp/.keras for a missing cache_dir
    ours = get_file(origin=origin, cache_dir=tmp_path / "ours", **kwargs)
    theirs = keras.utils.get_file(origin=origin, cache_dir=str(tmp_path / "keras"), **kwargs)
    assert os.path.relpath(ours, tmp_path / "ours") == os.path.relpath(theirs, tmp_path / "keras")
    assert _tree(tmp_path / "ours") == _tree(tmp_path / "keras")


def test_archive_cache_found_after_keras_extracted_it(served, tmp_path, monkeypatch):
    keras = pytest.importorskip("keras")
    origin = f"{served.url}/bundle.tar.gz"
    theirs = keras.utils.get_file("bundle", origin, extract=True, cache_dir=str(tmp_path))
    served.requests.clear()
    assert get_file("bundle", origin, extract=True, cache_dir=tmp_path) == theirs
    assert served.requests == []


@pytest.mark.parametrize("member", [
    {"../escape.txt": b"x"},
    {"/tmp/neokeras_absolute_escape.txt": b"x"},
    {"inner/link": ("symlink", "../../escape.txt")},
    {"inner/abs_link": ("symlink", "/etc/passwd")},
    {"inner/hard": ("hardlink", "../escape.txt")},
])
def test_extraction_refuses_members_outside(tmp_path, member):
    archive = tmp_path / "evil.tar"
    _write_tar(archive, {"ok.txt": b"fine", **member}, mode="w")
    out = tmp_path / "out"
    with pytest.warns(UserWarning, match="skipping archive member"):
        assert file_utils.extract_archive(archive, out)
    assert (out / "ok.txt").read_bytes() == b"fine"
    assert sorted(os.listdir(out)) == ["ok.txt"] or sorted(os.listdir(out)) == ["inner", "ok.txt"]
    assert not os.path.exists(tmp_path / "escape.txt")
    assert not os.path.exists("/tmp/neokeras_absolute_escape.txt")
    assert not any(os.path.islink(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)


def test_zip_extraction_refuses_traversal(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ok.txt", b"fine")
        z.writestr("../escape.txt", b"x")
    with pytest.warns(UserWarning, match="skipping archive member '../escape.txt'"):
        file_utils.extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()
    assert (tmp_path / "out" / "ok.txt").read_bytes() == b"fine"


def test_links_inside_archive_are_kept(tmp_path):
    archive = tmp_path / "links.tar"
    _write_tar(archive, {"d/a.txt": b"A", "d/link": ("symlink", "a.txt")}, mode="w")
    file_utils.extract_archive(archive, tmp_path / "out")
    assert (tmp_path / "out" / "d" / "link").read_bytes() == b"A"


def test_not_an_archive_warns(served, tmp_path):
    with pytest.warns(UserWarning, match="not an archive"):
        get_file("data", f"{served.url}/data.bin", extract=True, cache_dir=tmp_path)


@pytest.mark.parametrize("kwargs, match", [
    ({"origin": None}, "origin"),
    ({"origin": "http://127.0.0.1/", "fname": None}, "fname"),
    ({"origin": "http://127.0.0.1/x", "hash_algorithm": "sha1"}, "hash_algorithm"),
])
def test_bad_arguments(home, kwargs, match):
    with pytest.raises(ValueError, match=match):
        get_file(**kwargs)
