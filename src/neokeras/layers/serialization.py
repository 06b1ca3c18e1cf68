"""`layers.serialize` and `layers.deserialize`: a layer to and from its JSON-able config."""

from neokeras.api_export import keras_name


@keras_name("keras.layers.serialize")
def serialize(layer):
    """Returns `{"module", "class_name", "config", ...}` describing `layer`."""
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(layer)


@keras_name("keras.layers.deserialize")
def deserialize(config, custom_objects=None):
    """Rebuilds a layer from `serialize` output, or from a Keras 2 `{"class_name", "config"}`.

    Args:
        config: The serialized layer.
        custom_objects: `{name: class}` for custom layers.
    """
    from neokeras.layers.layer import Layer
    from neokeras.saving.serialization import deserialize_keras_object

    layer = deserialize_keras_object(config, custom_objects=custom_objects)
    if not isinstance(layer, Layer):
        raise ValueError(f"layers.deserialize: the config does not describe a layer. "
                         f"Received: {config!r}")
    return layer
