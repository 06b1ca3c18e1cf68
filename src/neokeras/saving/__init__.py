"""Saving and loading: `.keras` archives, legacy `.h5`, weights files, JSON configs, registry."""

from neokeras.saving.object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    get_registered_object, register_keras_serializable)
from neokeras.saving.saving_api import (  # noqa: F401
    load_model, load_weights, save_model, save_weights)
from neokeras.saving.serialization import (  # noqa: F401
    deserialize_keras_object, serialize_keras_object)
from neokeras.saving.file_editor import KerasFileEditor  # noqa: F401
from neokeras.saving.inspection import inspect  # noqa: F401
from neokeras.saving.limits import (  # noqa: F401
    LoadLimitError, get_load_limits, set_load_limits)
