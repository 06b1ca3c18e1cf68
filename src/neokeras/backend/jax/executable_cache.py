"""Compiled `fit`/`evaluate` programs kept on disk, so a script's second run neither traces nor
lowers them.

JAX's persistent cache (`compilation_cache`) skips only XLA's compilation: every process still
traces and lowers each program to find its cache key. Here a program is stored as a serialized
executable under a key computed without tracing: the model's own key (from
`trainers.program_key`, None for anything it cannot vouch for), the arguments' structure, shapes
and dtypes, and everything else that shapes the program in this process (`environment_key`:
jax/jaxlib and Python versions, the device, JAX's settings, XLA and neokeras environment
variables, the per-shape convolution lowerings, the processor's features, and a hash of
neokeras's source files).

Files live in `<compilation_cache.cache_dir()>/executables` and follow the same switch
(`NEOKERAS_JAX_CACHE=0` turns both off). An entry is written to a temporary file and renamed,
and carries a checksum of its content: one that is unreadable, corrupt or of another format is
ignored and compiled again. Entries are pickles: as with JAX's own cache, the directory must
only be writable by its owner. Time spent computing keys, reading and loading counts as
compilation in `compile_seconds()`.

The directory is kept under `NEOKERAS_EXECUTABLE_CACHE_MB` megabytes (default 1024): after each
write, the least recently used entries (a load refreshes an entry's time) are removed until the
rest fits. Entries of other neokeras or jax versions are never loaded again and so go first.
"""

import functools
import hashlib
import json
import os
import pickle
import sys
import threading
import time

import jax
from jax import monitoring

from neokeras.backend.jax import compilation_cache
from neokeras.backend.jax import conv_lowering

_FORMAT = b"neokeras-executable-1\n"
SPAN = compilation_cache._STAGES[-1]
_stats = {"hits": 0, "misses": 0, "stored": 0,
          "result_hits": 0, "result_misses": 0, "result_stored": 0}


def directory():
    """The directory of stored programs, or None when the cache is off."""
    root = compilation_cache.cache_dir()
    return None if root is None else os.path.join(root, "executables")


def stats():
    """Counts of this process: programs loaded (`hits`), compiled on a miss (`misses`), and
    written (`stored`); the same for trace results (`result_*`, see `stored_result`)."""
    return dict(_stats)


@functools.lru_cache(maxsize=None)
def _source_hash():
    """A hash of the neokeras package's Python files (read once per process; ~5 ms)."""
    import neokeras

    root = os.path.dirname(os.path.abspath(neokeras.__file__))
    digest = hashlib.sha256()
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, root).encode() + b"\0")
                with open(path, "rb") as f:
                    digest.update(f.read())
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def _host():
    """The processor's model and instruction set features: a CPU program is machine code."""
    import platform

    try:
        with open("/proc/cpuinfo") as f:
            lines = [line for line in f if line.startswith(("model name", "flags", "Features"))]
    except OSError:
        lines = []
    return platform.machine(), platform.processor(), sorted(set(lines))


def _jax_settings():
    return sorted((name, repr(value)) for name, value in jax.config.values.items()
                  if "cache" not in name)


def environment_key():
    """What shapes a compiled program besides the model and its arguments, as text."""
    import jaxlib

    device = jax.devices()[0]
    conv_lowering._load()
    parts = [
        sys.version, jax.__version__, jaxlib.__version__, device.platform, device.device_kind,
        getattr(device.client, "platform_version", ""), len(jax.devices()), _host(),
        _jax_settings(),
        sorted((k, v) for k, v in os.environ.items()  # the caches' own settings aside
               if k.startswith(("NEOKERAS_", "XLA_", "JAX_", "KERAS_BACKEND"))
               and "CACHE" not in k),
        sorted(conv_lowering._decisions.items()),
        _source_hash(),
    ]
    return repr(parts)


def _signature(args):
    leaves, treedef = jax.tree_util.tree_flatten(args)
    return treedef, tuple((tuple(leaf.shape), str(leaf.dtype), bool(getattr(leaf, "weak_type", False)))
                          for leaf in leaves)


def max_bytes():
    """The size the directory is trimmed to (`NEOKERAS_EXECUTABLE_CACHE_MB`, default 1024)."""
    setting = os.environ.get("NEOKERAS_EXECUTABLE_CACHE_MB", "")
    try:
        megabytes = float(setting) if setting.strip() else 1024.0
    except ValueError:
        raise ValueError("NEOKERAS_EXECUTABLE_CACHE_MB must be a number of megabytes. "
                         f"Received: {setting!r}") from None
    return int(megabytes * 2**20)


def _trim(folder):
    """Removes the least recently used entries of `folder` until it holds at most
    `max_bytes()`. Another process may remove the same files: those are skipped."""
    entries = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.name.endswith((".bin", ".json")):
                try:
                    info = entry.stat()
                except OSError:
                    continue
                entries.append((info.st_mtime, info.st_size, entry.path))
    total, limit = sum(size for _, size, _ in entries), max_bytes()
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            os.remove(path)
        except OSError:
            continue
        total -= size


def _touch(path):
    """Marks an entry as just used, so that trimming keeps it longest."""
    try:
        os.utime(path)
    except OSError:
        pass


def _read(path):
    try:
        with open(path, "rb") as f:
            content = f.read()
    except OSError:
        return None
    header = len(_FORMAT)
    checksum, payload = content[header:header + 32], content[header + 32:]
    if content[:header] != _FORMAT or hashlib.sha256(payload).digest() != checksum:
        return None
    try:
        from jax.experimental import serialize_executable

        device_ids, serialized = pickle.loads(payload)
        devices = {device.id: device for device in jax.devices()}
        return serialize_executable.deserialize_and_load(
            *serialized, execution_devices=[devices[i] for i in device_ids])
    except Exception:  # noqa: BLE001  (any unreadable entry is only a miss)
        return None


def _device_ids(compiled):
    """The ids of the devices `compiled` runs on (one: programs under a distribution are not
    stored), in order."""
    shardings = jax.tree_util.tree_leaves((compiled.input_shardings, compiled.output_shardings))
    return sorted({device.id for sharding in shardings for device in sharding.device_set})


def _write(path, compiled):
    from jax.experimental import serialize_executable

    try:
        payload = pickle.dumps((_device_ids(compiled), serialize_executable.serialize(compiled)))
    except Exception:  # noqa: BLE001  (a program XLA cannot serialize is just not stored)
        return
    _write_bytes(path, _FORMAT + hashlib.sha256(payload).digest() + payload, "stored")


def _write_bytes(path, content, counter):
    """Writes `content` to a temporary file renamed to `path`: readers see all or nothing."""
    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as f:
            f.write(content)
        os.replace(temporary, path)
        _stats[counter] += 1
        _trim(os.path.dirname(path))
    except OSError:
        try:
            os.remove(temporary)
        except OSError:
            pass


def _compile_afresh(lowered):
    """`lowered.compile()` without JAX's persistent cache: XLA:CPU cannot run an executable
    serialized again after it was loaded from that cache (its compiled functions are missing:
    "Function ... not found"), so a program to store is compiled anew. JAX decides once
    whether its cache is used: resetting it before and after makes both decisions anew."""
    from jax.experimental.compilation_cache import compilation_cache as jax_cache

    enabled = jax.config.jax_enable_compilation_cache
    jax_cache.reset_cache()
    jax.config.update("jax_enable_compilation_cache", False)
    try:
        return lowered.compile()
    finally:
        jax.config.update("jax_enable_compilation_cache", enabled)
        jax_cache.reset_cache()


def stored_result(name, model_key, arrays, compute):
    """`compute()` (a JSON list: what a trace found out, e.g. `trainer.probe_forward`'s
    result), stored like a program under `name`, `model_key()` and the signature of `arrays`,
    so that another process skips the trace. As `compute()` when the cache is off or
    `model_key()` is None."""
    folder = directory()
    if folder is None:
        return compute()
    start = time.time()
    monitoring.record_scalar(SPAN, start, fun_name=name)
    try:
        key = model_key()
        if key is None:
            return compute()
        treedef, leaves = _signature(arrays)
        text = repr((name, key, str(treedef), leaves, environment_key()))
        path = os.path.join(folder, hashlib.sha256(text.encode()).hexdigest() + ".json")
        try:
            with open(path) as f:
                stored = json.load(f)
            if stored["format"] == _FORMAT.decode() and isinstance(stored["result"], list):
                _stats["result_hits"] += 1
                _touch(path)
                return stored["result"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        _stats["result_misses"] += 1
        result = list(compute())
        try:
            content = json.dumps({"format": _FORMAT.decode(), "result": result})
        except (TypeError, ValueError):  # not plain data: not stored
            return result
        _write_bytes(path, content.encode(), "result_stored")
        return result
    finally:
        monitoring.record_event_time_span(SPAN, start, time.time(), fun_name=name)


class CachedFunction:
    """A jitted function called through programs stored on disk.

    `model_key()` gives the text that, with the arguments' signature and `environment_key()`,
    determines the program (None: not cacheable, the jitted function runs as it is);
    `on_load(*args)` is called when a stored program replaces a trace (for trace counting).
    Programs are looked up once per argument signature and process, as `jax.jit` traces once
    per signature; calls with keyword arguments (a distribution's `plan`) go to `jitted`.
    """

    def __init__(self, jitted, name, model_key, on_load=None):
        self._jitted = jitted
        self._name = name
        self._model_key = model_key
        self._on_load = on_load
        self._programs = {}

    def __call__(self, *args, **kwargs):
        if kwargs:
            return self._jitted(*args, **kwargs)
        signature = _signature(args)
        program = self._programs.get(signature)
        if program is None:
            program = self._programs[signature] = self._program(args, signature)
        return program(*args)

    def _program(self, args, signature):
        folder = directory()
        if folder is None:
            return self._jitted
        start = time.time()
        monitoring.record_scalar(SPAN, start, fun_name=self._name)
        try:
            model_key = self._model_key()
            if model_key is None:
                return self._jitted
            text = repr((model_key, str(signature[0]), signature[1], environment_key()))
            path = os.path.join(folder, hashlib.sha256(text.encode()).hexdigest() + ".bin")
            program = _read(path)
            if program is not None:
                _stats["hits"] += 1
                _touch(path)
                if self._on_load is not None:
                    self._on_load(*args)
                return program
            _stats["misses"] += 1
            program = _compile_afresh(self._jitted.lower(*args))
            _write(path, program)
            return program
        finally:
            monitoring.record_event_time_span(SPAN, start, time.time(), fun_name=self._name)
