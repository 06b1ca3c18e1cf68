"""A persistent cache of compiled XLA programs, so a script's second run compiles nothing.

On by default in `$KERAS_HOME/neokeras-jax-cache` (`~/.keras/neokeras-jax-cache`); the
environment variable `NEOKERAS_JAX_CACHE=0` turns it off, any other value names the directory.
A cache directory the program set on `jax.config` itself is left as it is.
"""

import os

import jax


def cache_dir():
    """The cache directory neokeras uses, or None when it is turned off."""
    setting = os.environ.get("NEOKERAS_JAX_CACHE", "")
    if setting.strip().lower() in ("0", "false", "off", "no"):
        return None
    if setting and setting != "1":
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
