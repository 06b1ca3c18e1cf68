"""Saving and loading: `.keras` archives, legacy `.h5`, weights files, JSON configs, registry.

Each name's module is imported the first time the name is used (see `neokeras/lazy.py`).
"""

from neokeras.lazy import lazy_namespace as _lazy_namespace

__getattr__, __dir__, __all__ = _lazy_namespace(__name__, {
    ".object_registration": [
        "CustomObjectScope", "custom_object_scope", "get_custom_objects", "get_registered_name",
        "get_registered_object", "register_keras_serializable",
    ],
    ".saving_api": ["load_model", "load_weights", "save_model", "save_weights"],
    ".serialization": ["deserialize_keras_object", "serialize_keras_object"],
    ".file_editor": ["KerasFileEditor"],
    ".inspection": ["inspect"],
    ".limits": ["LoadLimitError", "get_load_limits", "set_load_limits"],
})
