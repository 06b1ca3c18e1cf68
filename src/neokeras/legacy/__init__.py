"""`keras.legacy`: Keras 2 compatibility helpers kept by Keras 3 (`keras.legacy.saving`)."""

from neokeras.legacy import saving  # noqa: F401
