"""Saving and loading: Keras JSON configs, custom-object registration."""

from neokeras.saving.object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    register_keras_serializable)
from neokeras.saving.serialization import (  # noqa: F401
    deserialize_keras_object, serialize_keras_object)
