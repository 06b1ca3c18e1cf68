"""`keras.utils.legacy`: the Keras 2 style serializers, as `keras.legacy.saving` has them."""

from neokeras.legacy.saving import deserialize_keras_object  # noqa: F401
from neokeras.legacy.saving import serialize_keras_object  # noqa: F401
