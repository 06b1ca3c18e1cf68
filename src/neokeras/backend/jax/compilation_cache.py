"""A persistent cache of compiled XLA programs, so a script's second run compiles nothing.

On by default in `$KERAS_HOME/neokeras-jax-cache` (`~/.keras/neokeras-jax-cache`); the
environment variable `NEOKERAS_JAX_CACHE=0` turns it off, any other value names the directory;
`keras.config.disable_compilation_cache()` and `enable_compilation_cache()` turn it off and on
in the running program (they override the variable). A cache directory the program set on
`jax.config` itself is left as it is.
"""

import os

import jax
from jax import monitoring


# `enabled`: the program's own choice (None: the environment decides); `directory`: the one
# neokeras pointed JAX's cache at.
_STATE = {"enabled": None, "directory": None}


def cache_dir():
    """The cache directory neokeras uses, or None when it is turned off."""
    setting = os.environ.get("NEOKERAS_JAX_CACHE", "")
    off = setting.strip().lower() in ("0", "false", "off", "no")
    if _STATE["enabled"] is False or (off and not _STATE["enabled"]):
        return None
    if setting and setting != "1" and not off:
        return os.path.expanduser(setting)
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "neokeras-jax-cache")


def enable():
    """Points JAX's persistent compilation cache at `cache_dir()` unless it is off or the
    program already chose a directory. Small programs are cached too: they are what a short
    script compiles."""
    directory = cache_dir()
    if directory is None or jax.config.jax_compilation_cache_dir is not None:
        return
    jax.config.update("jax_compilation_cache_dir", directory)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    _STATE["directory"] = directory


def enable_compilation_cache():
    """Turns neokeras's persistent compilation caches on for the rest of the program (JAX's
    cache in neokeras's directory, and the stored `fit` programs), whatever the environment
    variable `NEOKERAS_JAX_CACHE` says."""
    _switch(True)


def disable_compilation_cache():
    """Turns neokeras's persistent compilation caches off for the rest of the program: nothing
    is read from or written to its cache directory (a JAX cache directory the program chose
    itself on `jax.config` stays in use)."""
    _switch(False)


def is_compilation_cache_enabled():
    """Whether neokeras's persistent compilation caches are on."""
    return cache_dir() is not None


def _switch(enabled):
    from jax.experimental.compilation_cache import compilation_cache as jax_cache

    _STATE["enabled"] = enabled
    if enabled:
        enable()
    elif _STATE["directory"] is not None:
        if jax.config.jax_compilation_cache_dir == _STATE["directory"]:
            jax.config.update("jax_compilation_cache_dir", None)
        _STATE["directory"] = None
    jax_cache.reset_cache()  # JAX decides whether to use its cache again at the next compile


# JAX reports how long each tracing, lowering and XLA compilation (or cache read) took, as time
# spans; a jit traced inside another's trace reports a span nested in the outer one. The union of
# the spans is the time spent compiling, with nothing counted twice and no execution counted.
# `executable_cache` reports its key computations, reads and loads as one more span.
_STAGES = ("/jax/core/compile/jaxpr_trace_duration",
           "/jax/core/compile/jaxpr_to_mlir_module_duration",
           "/jax/core/compile/backend_compile_duration",
           "/neokeras/executable_cache/duration")
_total = [0.0]
_spans = []  # the latest counted (start, end) spans, to discount those an outer span covers


def _on_span(event, start, end, **kwargs):
    if event not in _STAGES:
        return
    covered = [s for s in _spans if s[0] >= start and s[1] <= end]
    _total[0] += (end - start) - sum(e - s for s, e in covered)
    _spans[:] = [s for s in _spans if not (s[0] >= start and s[1] <= end)][-63:]
    _spans.append((start, end))


monitoring.register_event_time_span_listener(_on_span)


def compile_seconds():
    """Seconds this process has spent tracing, lowering and compiling (cache reads included)
    so far; the difference of two readings is the compilation between them."""
    return _total[0]
