"""`neokeras.dtype_policies`: dtype policies of layers (`keras.dtype_policies`)."""

from neokeras.api_export import keras_name
from neokeras.dtype_policies.dtype_policy import AWQDTypePolicy
from neokeras.dtype_policies.dtype_policy import DTypePolicy
from neokeras.dtype_policies.dtype_policy import FloatDTypePolicy
from neokeras.dtype_policies.dtype_policy import GPTQDTypePolicy
from neokeras.dtype_policies.dtype_policy import Int4DTypePolicy
from neokeras.dtype_policies.dtype_policy import QuantizedDTypePolicy
from neokeras.dtype_policies.dtype_policy import QuantizedFloat8DTypePolicy
from neokeras.dtype_policies.dtype_policy_map import DTypePolicyMap

_BY_CLASS_NAME = {cls.__name__: cls for cls in (
    DTypePolicy, FloatDTypePolicy, QuantizedDTypePolicy, QuantizedFloat8DTypePolicy,
    Int4DTypePolicy, GPTQDTypePolicy, AWQDTypePolicy, DTypePolicyMap)}


@keras_name("keras.dtype_policies.serialize")
def serialize(dtype_policy):
    """The Keras config dict of a policy (`{"module": "keras", "class_name": "DTypePolicy",
    "config": {"name": ...}, "registered_name": None}`)."""
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(dtype_policy)


@keras_name("keras.dtype_policies.deserialize")
def deserialize(config, custom_objects=None):
    """Rebuilds a policy from `serialize`'s dict."""
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects=_BY_CLASS_NAME,
                                    custom_objects=custom_objects)


@keras_name("keras.dtype_policies.get")
def get(identifier):
    """A `DTypePolicy` from None (the global policy), a name (`"mixed_float16"`,
    `"int8_from_float32"`), a config dict or a policy."""
    from neokeras.dtype_policies.dtype_policy import dtype_policy
    from neokeras.dtype_policies.dtype_policy import is_quantized_name
    from neokeras.dtype_policies.dtype_policy import quantized_policy_from_name

    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if is_quantized_name(identifier):
            return quantized_policy_from_name(identifier)
        return DTypePolicy(identifier)
    name = getattr(identifier, "name", None)
    if isinstance(name, str):
        return DTypePolicy(name)
    raise ValueError("Cannot interpret `dtype`: expected a string or a DTypePolicy. "
                     f"Received: dtype={identifier!r}")
