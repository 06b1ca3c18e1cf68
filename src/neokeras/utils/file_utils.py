"""`get_file`: downloads a file once into the Keras cache (`~/.keras` or `$KERAS_HOME`).

The cache layout is Keras 3's, so files real Keras downloaded are found and reused:
`<cache_dir>/<cache_subdir>/<fname>` for plain files; for archives with `extract=True` the
download is `<fname>_archive` (or `<fname>` when it has an extension) and the contents go to
`<fname>` (or `<stem>_extracted`).
"""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings
import zipfile

from neokeras.utils import io_utils
from neokeras.utils.progbar import Progbar

# Seconds a connection attempt or a stalled read may take before the download fails. Offline
# machines get their error quickly instead of hanging.
DOWNLOAD_TIMEOUT = 15
_CHUNK = 1 << 16


def keras_home():
    """`$KERAS_HOME`, else `~/.keras` (`/tmp/.keras` when the home directory is read-only)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return os.path.join(base, ".keras")


def hash_file(fpath, algorithm="sha256", chunk_size=_CHUNK):
    """Hex digest of a file with `"sha256"` or `"md5"` (or a hashlib object)."""
    hasher = _hasher(algorithm) if isinstance(algorithm, str) else algorithm
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK):
    """Whether the file's hash equals `file_hash` (`"auto"`: sha256 for 64 hex digits, else md5)."""
    return hash_file(fpath, _hasher(algorithm, file_hash), chunk_size) == str(file_hash)


def _hasher(algorithm, file_hash=None):
    if algorithm not in ("auto", "sha256", "md5"):
        raise ValueError("get_file: hash_algorithm must be 'auto', 'sha256' or 'md5'. "
                         f"Received: hash_algorithm={algorithm!r}")
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None
                                 and len(str(file_hash)) == 64):
        return hashlib.sha256()
    return hashlib.md5()


def _algorithm_name(algorithm, file_hash):
    return _hasher(algorithm, file_hash).name


def _inside(base, path):
    try:
        return os.path.commonpath([base, path]) == base
    except ValueError:
        return False


def _safe_tar_members(archive, base):
    """Members that stay inside `base`: no `..`/absolute escapes, no links pointing out."""
    for member in archive:
        target = os.path.realpath(os.path.join(base, member.name))
        ok = _inside(base, target) and (member.isfile() or member.isdir()
                                        or member.issym() or member.islnk())
        if ok and member.issym():
            ok = _inside(base, os.path.realpath(os.path.join(os.path.dirname(target),
                                                             member.linkname)))
        elif ok and member.islnk():
            ok = _inside(base, os.path.realpath(os.path.join(base, member.linkname)))
        if ok:
            yield member
        else:
            warnings.warn(f"get_file: skipping archive member {member.name!r}: it would be "
                          f"written outside {base} or is not a regular file, directory or "
                          "link inside the archive.", stacklevel=4)


def _safe_zip_members(archive, base):
    for info in archive.infolist():
        if _inside(base, os.path.realpath(os.path.join(base, info.filename))):
            yield info
        else:
            warnings.warn(f"get_file: skipping archive member {info.filename!r}: it would be "
                          f"written outside {base}.", stacklevel=4)


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (`.tar`, `.tar.gz`, `.tar.bz2`, ...) or zip archive into `path`.

    Members that would land outside `path` (absolute names, `..`, links pointing out) are
    skipped with a warning.

    Returns:
        True if the file was an archive of an accepted format and was extracted.
    """
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    file_path, path = os.fspath(file_path), os.fspath(path)
    for kind in archive_format:
        if kind not in ("tar", "zip"):
            raise ValueError("get_file: archive_format must be 'auto', 'tar', 'zip', a list of "
                             f"those, or None. Received: {kind!r}")
        if kind == "tar" and tarfile.is_tarfile(file_path):
            os.makedirs(path, exist_ok=True)
            base = os.path.realpath(path)
            with tarfile.open(file_path) as archive:
                kwargs = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
                archive.extractall(base, members=_safe_tar_members(archive, base), **kwargs)
            return True
        if kind == "zip" and zipfile.is_zipfile(file_path):
            os.makedirs(path, exist_ok=True)
            base = os.path.realpath(path)
            with zipfile.ZipFile(file_path) as archive:
                archive.extractall(base, members=list(_safe_zip_members(archive, base)))
            return True
    return False


class _DownloadProgress:
    def __init__(self, total):
        self.bar = Progbar(total, unit_name="B")
        self.done = 0

    def advance(self, n):
        self.done += n
        if self.bar.target is None or self.done < self.bar.target:
            self.bar.update(self.done)

    def finish(self):
        self.bar.update(self.done, finalize=True)


def _download(origin, target):
    """Streams `origin` into `target` through a temporary file (no partial file is left)."""
    io_utils.print_msg(f"Downloading data from {origin}")
    partial = f"{target}.part"
    try:
        with urllib.request.urlopen(origin, timeout=DOWNLOAD_TIMEOUT) as response, \
                open(partial, "wb") as out:
            length = response.headers.get("Content-Length")
            progress = _DownloadProgress(int(length) if length else None)
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                out.write(chunk)
                progress.advance(len(chunk))
            progress.finish()
        os.replace(partial, target)
    except (urllib.error.URLError, OSError, KeyboardInterrupt) as e:
        if os.path.exists(partial):
            os.remove(partial)
        if isinstance(e, KeyboardInterrupt):
            raise
        if isinstance(e, urllib.error.HTTPError):
            reason = f"HTTP {e.code} {e.reason}"
        else:
            reason = getattr(e, "reason", None) or e
        raise ConnectionError(
            f"URL fetch failure on {origin}: {reason}. The file was to be cached at {target}; "
            "without network access, copy the file there and get_file will use it.") from e


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """Downloads a file from a URL unless it is already in the cache; returns its path.

    The file goes to `<cache_dir>/<cache_subdir>/<fname>`, where `cache_dir` defaults to
    `$KERAS_HOME` or `~/.keras`, the same place Keras uses.

    Args:
        fname: Local file name; the last part of the `origin` URL when None. With `extract`,
            a name without extension names the extraction directory.
        origin: URL of the file.
        untar: Keras 2 spelling of `extract=True` with `archive_format="tar"`.
        md5_hash: Keras 2 spelling of `file_hash` with `hash_algorithm="md5"`.
        file_hash: Expected sha256 or md5 hex digest; checked after download, and a cached
            file that does not match is downloaded again.
        cache_subdir: Subdirectory of the cache (an absolute path is used as is).
        hash_algorithm: `"auto"` (sha256 for a 64-digit hash, else md5), `"sha256"` or `"md5"`.
        extract: Extract the downloaded tar or zip archive; the extraction directory is
            returned.
        archive_format: `"auto"`, `"tar"`, `"zip"`, a list of those, or None.
        cache_dir: Cache root; `$KERAS_HOME` or `~/.keras` when None.
        force_download: Download even when the file is in the cache.

    Returns:
        The path of the downloaded file, or of the extraction directory with `extract`/`untar`.

    Raises:
        ConnectionError: The download failed (the message names the URL and the cache path).
        ValueError: The downloaded file does not match `file_hash`.
    """
    if origin is None:
        raise ValueError("get_file: please give `origin`, the URL of the file to download.")
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    _hasher(hash_algorithm)  # validates the name early
    base = os.path.expanduser(os.fspath(cache_dir) if cache_dir is not None else keras_home())
    try:
        os.makedirs(base, exist_ok=True)
        writable = os.access(base, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, os.fspath(cache_subdir))

    provided = fname is not None and os.fspath(fname) != ""
    fname = os.fspath(fname) if provided else os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"get_file: cannot take a file name from origin={origin!r}; "
                         "give `fname`.")
    # Keras 2 accepted a path as fname; its directory then replaces the cache directory.
    if os.path.dirname(fname):
        datadir = os.path.join(datadir, os.path.dirname(fname))
        fname = os.path.basename(fname)
    os.makedirs(datadir, exist_ok=True)

    extract = extract or untar
    if extract and provided and "." in fname:
        download_target = os.path.join(datadir, fname)
        extraction_dir = os.path.join(datadir, f"{fname[:fname.find('.')]}_extracted")
    elif extract:
        download_target = os.path.join(datadir, f"{fname}_archive")
        extraction_dir = os.path.join(datadir, fname)
    else:
        download_target = os.path.join(datadir, fname)

    download = force_download or not os.path.exists(download_target)
    if not download and file_hash is not None and not validate_file(
            download_target, file_hash, hash_algorithm):
        io_utils.print_msg(
            f"A local file was found at {download_target}, but its "
            f"{_algorithm_name(hash_algorithm, file_hash)} hash does not match {file_hash}; "
            "downloading it again.")
        download = True
    if download:
        _download(origin, download_target)
        if file_hash is not None and not validate_file(download_target, file_hash,
                                                       hash_algorithm):
            actual = hash_file(download_target, _hasher(hash_algorithm, file_hash))
            os.remove(download_target)
            raise ValueError(
                f"get_file: the file downloaded from {origin} is incomplete or corrupted: its "
                f"{_algorithm_name(hash_algorithm, file_hash)} hash is {actual}, expected "
                f"{file_hash}. The file was removed.")

    if not extract:
        return download_target
    if download or not os.path.isdir(extraction_dir):
        # Extract next to the target and rename, so an existing directory is always complete.
        staging = f"{extraction_dir}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        if not extract_archive(download_target, staging, "tar" if untar else archive_format):
            shutil.rmtree(staging, ignore_errors=True)
            warnings.warn(f"get_file: {download_target} is not an archive of format "
                          f"{archive_format!r}; nothing was extracted.", stacklevel=2)
            return extraction_dir
        shutil.rmtree(extraction_dir, ignore_errors=True)
        os.replace(staging, extraction_dir)
    return extraction_dir
