"""`neokeras.models`: `Sequential`, `Model`.

Each name's module is imported the first time the name is used (see `neokeras/lazy.py`).
"""

from neokeras.lazy import lazy_namespace as _lazy_namespace

__getattr__, __dir__, __all__ = _lazy_namespace(__name__, {
    ".model": ["Model"],
    ".sequential": ["Sequential"],
    "neokeras.saving.saving_api": [
        "clone_model", "load_model", "model_from_config", "model_from_json", "model_from_yaml",
        "save_model",
    ],
}, submodules=["experimental"])
