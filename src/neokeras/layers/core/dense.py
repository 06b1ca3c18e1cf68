"""`Dense`: `activation(inputs @ kernel + bias)`."""

import numbers

from neokeras import activations
from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.core import lora
from neokeras.layers.core import quantization
from neokeras.layers.input_spec import InputSpec
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Dense")
class Dense(Layer):
    """Densely-connected layer: `activation(inputs @ kernel + bias)`.

    Args:
        units: Positive int, output dimension.
        activation: Activation name or callable; None means linear.
        use_bias: Whether to add a bias vector.
        kernel_initializer: Initializer for `kernel` (default `"glorot_uniform"`).
        bias_initializer: Initializer for `bias` (default `"zeros"`).
        kernel_regularizer, bias_regularizer, activity_regularizer: Optional regularizers.
        kernel_constraint, bias_constraint: Optional constraints.
        lora_rank, lora_alpha: Enable LoRA at build time with this rank (see `enable_lora`).
        quantization_config: The `keras.quantizers.QuantizationConfig` a quantized layer
            (see `quantize`) is built with.

    Input shape: `(..., input_dim)`. Output shape: `(..., units)`.
    """

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if isinstance(units, bool) or not isinstance(units, numbers.Integral) or units <= 0:
            raise ValueError(f"Dense(units=...) must be a positive int. Received: units={units!r}")
        self.units = int(units)
        self.quantization_config = quantization.config_from_argument(quantization_config)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Dense '{self.name}' needs a known last input dimension. "
                f"Received input_shape={input_shape}")
        if self.quantization_mode:
            quantization.build(self, (input_dim, self.units), self.quantization_mode,
                               self.quantization_config)
        if self.quantization_mode in (None, "float8"):
            self._kernel = self.add_weight(shape=(input_dim, self.units), name="kernel",
                                          initializer=self.kernel_initializer,
                                          regularizer=self.kernel_regularizer,
                                          constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,), name="bias",
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        if self.lora_rank:
            self.built = True  # enable_lora requires a built layer
            self.enable_lora(self.lora_rank, self.lora_alpha)

    @property
    def kernel(self):
        if self.quantization_mode:
            return quantization.stored_kernel(self)
        return lora.effective_kernel(self)

    def quantize(self, mode=None, type_check=True, config=None):
        """Quantizes the weights in place: `"int8"`, `"int4"` or `"float8"` (or a
        `keras.quantizers.QuantizationConfig` as `config`)."""
        quantization.quantize(self, mode, type_check=type_check, config=config)

    def quantized_call(self, inputs, training=None):
        return quantization.call(self, inputs, training)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freezes `kernel` and learns a low-rank update `(alpha / rank) * A @ B` instead."""
        lora.enable_lora(self, rank, lora_alpha, a_initializer, b_initializer)

    def call(self, inputs):
        x = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            x = x + self.bias
        return self.activation(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "quantization_config": quantization.serialize_config(self),
                **lora.config_entries(self)}
