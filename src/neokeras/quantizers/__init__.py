"""`neokeras.quantizers`: quantizers, quantization configs and arithmetic (`keras.quantizers`)."""

import inspect

from neokeras.api_export import keras_name
from neokeras.quantizers.calibrated_configs import AWQConfig
from neokeras.quantizers.calibrated_configs import GPTQConfig
from neokeras.quantizers.quantization_config import Float8QuantizationConfig
from neokeras.quantizers.quantization_config import Int4QuantizationConfig
from neokeras.quantizers.quantization_config import Int8QuantizationConfig
from neokeras.quantizers.quantization_config import QuantizationConfig
from neokeras.quantizers.quantizers import AbsMaxQuantizer
from neokeras.quantizers.quantizers import Quantizer
from neokeras.quantizers.quantizers import abs_max_quantize
from neokeras.quantizers.quantizers import abs_max_quantize_grouped_with_zero_point
from neokeras.quantizers.quantizers import compute_float8_amax_history
from neokeras.quantizers.quantizers import compute_float8_scale
from neokeras.quantizers.quantizers import fake_quant_with_min_max_vars
from neokeras.quantizers.quantizers import pack_int4
from neokeras.quantizers.quantizers import quantize_and_dequantize
from neokeras.quantizers.quantizers import unpack_int4

_CLASSES = (Quantizer, AbsMaxQuantizer, QuantizationConfig, Int8QuantizationConfig,
            Int4QuantizationConfig, Float8QuantizationConfig, AWQConfig)


def _snake(name):
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


_BY_NAME = {cls.__name__: cls for cls in _CLASSES}
_BY_NAME.update({_snake(cls.__name__): cls for cls in _CLASSES})


@keras_name("keras.quantizers.serialize")
def serialize(initializer):
    """The Keras config dict of a quantizer or quantization config."""
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(initializer)


@keras_name("keras.quantizers.deserialize")
def deserialize(config, custom_objects=None):
    """Rebuilds a quantizer or quantization config from `serialize`'s dict."""
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, module_objects=_BY_NAME, custom_objects=custom_objects)


@keras_name("keras.quantizers.get")
def get(identifier, **kwargs):
    """A quantizer from None, a config dict, a class name (instantiated) or an instance."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        found = deserialize(identifier)
    elif isinstance(identifier, str):
        found = _BY_NAME.get(identifier)
    else:
        found = identifier
    if callable(found):
        # Keras passes the keyword arguments as one positional dict here.
        return found(kwargs) if inspect.isclass(found) else found
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")
