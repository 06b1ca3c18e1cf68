"""Loading limits: what a file may cost in memory and work, checked before it is spent.

Every loader (`load_model`, `load_weights`, `model_from_json`, `BackupAndRestore`, the
inspector) parses configs with `parse_json` (size, nesting depth, item count, duplicate keys)
and builds models inside `loading(...)`, which charges every new variable, and every archive
member held in memory, against a byte budget *before* allocating it. A file over a limit is
refused with a `LoadLimitError` naming the layer, dataset or member and its size.

The byte budget defaults to half the memory this process can still get (the smaller of the
system's available memory and the `RLIMIT_AS` / `RLIMIT_DATA` limits). Raise it for trusted
files with `set_load_limits(max_bytes=...)` or the environment variable
`NEOKERAS_MAX_LOAD_BYTES`.
"""

import contextlib
import json
import math
import os
import re

from neokeras.saving.h5_utils import UnsafeFileError

ENV_MAX_BYTES = "NEOKERAS_MAX_LOAD_BYTES"

_DEFAULTS = {
    "max_bytes": None,  # None: half the available memory
    "max_config_bytes": 64 * 2**20,
    "max_config_depth": 64,
    "max_config_items": 2_000_000,
    "max_layers": 50_000,
    "max_archive_members": 10_000,
    "max_h5_objects": 1_000_000,
}
_settings = dict(_DEFAULTS)


class LoadLimitError(UnsafeFileError):
    """A file needs more memory or work than the loading limits allow."""


def set_load_limits(**limits):
    """Changes the loading limits; returns the previous values (to restore them later).

    Args:
        max_bytes: Bytes the variables and in-memory archive members of one load may take
            (None: half the available memory).
        max_config_bytes: Size of a JSON config.
        max_config_depth: Nesting depth of a JSON config.
        max_config_items: Number of values (dict entries and list items) in a JSON config.
        max_layers: Layers listed in one model config.
        max_archive_members: Members of a `.keras` zip archive.
        max_h5_objects: HDF5 objects the inspector lists, and chunks of one dataset.
    """
    unknown = sorted(set(limits) - set(_DEFAULTS))
    if unknown:
        raise TypeError(f"set_load_limits() got unknown limit(s) {unknown}; known: "
                        f"{sorted(_DEFAULTS)}.")
    for name, value in limits.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value <= 0):
            raise ValueError(f"set_load_limits({name}=...) must be a positive int"
                             f"{' or None' if name == 'max_bytes' else ''}. Received: {value!r}")
        if value is None and name != "max_bytes":
            raise ValueError(f"set_load_limits({name}=None): only max_bytes may be None.")
    previous = {name: _settings[name] for name in limits}
    _settings.update(limits)
    return previous


def get_load_limits():
    """The limits in force, with `max_bytes` resolved to a number."""
    return {**_settings, "max_bytes": max_bytes()}


def limit(name):
    return _settings[name]


def max_bytes():
    """The byte budget of one load: the setting, the environment variable, or the default."""
    if _settings["max_bytes"] is not None:
        return _settings["max_bytes"]
    env = os.environ.get(ENV_MAX_BYTES)
    if env:
        try:
            return int(env)
        except ValueError:
            raise ValueError(f"{ENV_MAX_BYTES} must be a number of bytes. Received: {env!r}") \
                from None
    return _available_memory() // 2


def _available_memory():
    candidates = []
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    candidates.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    if not candidates:
        try:
            candidates.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            candidates.append(8 * 2**30)
    try:
        import resource

        for which, field in (("RLIMIT_AS", "VmSize"), ("RLIMIT_DATA", "VmData")):
            soft = resource.getrlimit(getattr(resource, which))[0]
            if soft != resource.RLIM_INFINITY and soft > 0:
                candidates.append(max(soft - _process_usage(field), 0))
    except (ImportError, AttributeError, ValueError, OSError):
        pass
    return min(candidates)


def _process_usage(field):
    """This process's `VmSize` / `VmData` in bytes (0 where /proc is not available)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def format_bytes(n):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024


def dtype_bytes(dtype):
    """Bytes per element of a dtype name (`"float32"`, `"bfloat16"`, `"bool"`, ...)."""
    name = str(getattr(dtype, "name", dtype))
    if name == "bool":
        return 1
    digits = re.search(r"(\d+)$", name)
    if digits is None:
        raise LoadLimitError(f"Unsupported variable dtype {name!r} in a loaded file.")
    return max(1, int(digits.group(1)) // 8)


class Budget:
    """Bytes one load has committed; `charge` refuses what would go over the limit."""

    def __init__(self, what):
        self.what = what
        self.limit = max_bytes()
        self.used = 0

    def charge(self, nbytes, item):
        if nbytes > self.limit - self.used:
            raise LoadLimitError(
                f"{self.what}: {item} needs {format_bytes(nbytes)}, which with the "
                f"{format_bytes(self.used)} already loaded exceeds the loading limit of "
                f"{format_bytes(self.limit)}. If you trust the file and have the memory, raise "
                f"the limit with neokeras.saving.set_load_limits(max_bytes=...) or the "
                f"environment variable {ENV_MAX_BYTES}.")
        self.used += nbytes

    def charge_variable(self, shape, dtype, path):
        if any(d < 0 for d in shape):
            raise LoadLimitError(f"{self.what}: variable '{path}' has a negative dimension "
                                 f"in its shape {shape}.")
        self.charge(math.prod(shape) * dtype_bytes(dtype),
                    f"variable '{path}' (shape {shape}, {dtype})")


_ACTIVE = []


@contextlib.contextmanager
def loading(what):
    """Charges every variable created in this block (and what the caller charges) to one
    budget; a nested `loading` shares the outer one. Deep recursion becomes a clear error."""
    from neokeras.backend.common import allocation_budget

    if _ACTIVE:
        yield _ACTIVE[-1]
        return
    budget = Budget(what)
    _ACTIVE.append(budget)
    try:
        with allocation_budget.checking(budget.charge_variable):
            yield budget
    except RecursionError:
        raise LoadLimitError(f"{what}: the model is nested too deeply to rebuild.") from None
    except _MALFORMED as error:
        # What a corrupt file makes h5py, zipfile or a config lookup raise deep inside.
        raise ValueError(f"{what}: the file is malformed or corrupt "
                         f"({type(error).__name__}: {error}).") from error
    finally:
        _ACTIVE.pop()


_MALFORMED = (KeyError, IndexError, AttributeError, RuntimeError, OverflowError,
              UnicodeDecodeError)


def current_budget():
    return _ACTIVE[-1] if _ACTIVE else None


# ---------------------------------------------------------------------- JSON configs
def _no_duplicate_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r} in one object")
        result[key] = value
    return result


def parse_json(data, what):
    """Parses a JSON config (str or bytes) within the limits; a clear ValueError otherwise."""
    size = len(data)
    if size > _settings["max_config_bytes"]:
        raise LoadLimitError(f"{what} is {format_bytes(size)}, over the limit of "
                             f"{format_bytes(_settings['max_config_bytes'])} for configs.")
    if isinstance(data, (bytes, bytearray)):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(f"{what} is not valid JSON (not UTF-8: {error}).") from None
    try:
        value = json.loads(data, object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        raise LoadLimitError(f"{what} is nested too deeply (limit: "
                             f"{_settings['max_config_depth']} levels).") from None
    except (ValueError, TypeError) as error:
        raise ValueError(f"{what} is not valid JSON ({error}).") from None
    check_config(value, what)
    return value


def check_config(value, what):
    """Refuses a config nested deeper, or holding more values, than the limits allow."""
    max_depth, max_items = _settings["max_config_depth"], _settings["max_config_items"]
    stack, items = [(value, 1)], 0
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        if depth > max_depth:
            raise LoadLimitError(f"{what} is nested more than {max_depth} levels deep.")
        items += len(children)
        if items > max_items:
            raise LoadLimitError(f"{what} holds more than {max_items} values.")
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list, tuple)))


def check_layer_count(count, what):
    if count > _settings["max_layers"]:
        raise LoadLimitError(f"{what} lists {count} layers, over the limit of "
                             f"{_settings['max_layers']}.")
