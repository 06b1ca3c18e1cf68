"""`keras.src.saving.serialization_lib` (compatibility mirror): serialization and safe mode."""

from neokeras.saving.serialization import (  # noqa: F401
    SafeModeScope,
    deserialize_keras_object,
    in_safe_mode,
    serialize_keras_object,
)
