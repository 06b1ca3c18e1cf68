"""`Embedding`: looks up a dense vector for each integer index."""

import numbers

from neokeras import constraints
from neokeras import initializers
from neokeras import ops
from neokeras import regularizers
from neokeras.api_export import keras_name
from neokeras.layers.core import lora
from neokeras.layers.core import quantization
from neokeras.layers.layer import Layer


@keras_name("keras.layers.Embedding")
class Embedding(Layer):
    """Maps integer indices in `[0, input_dim)` to vectors of size `output_dim`.

    Args:
        input_dim: Size of the vocabulary (largest index + 1).
        output_dim: Dimension of the embedding vectors.
        embeddings_initializer: Initializer of the `(input_dim, output_dim)` matrix
            (default `"uniform"`).
        embeddings_regularizer: Optional regularizer of the matrix.
        embeddings_constraint: Optional constraint of the matrix.
        mask_zero: Whether index 0 is padding: the layer then outputs a mask (True where the
            index is not 0) that downstream layers such as `LSTM` use to skip padded steps.
        input_length: Keras 2 argument: the fixed sequence length, taken as the input shape.

    Input shape: `(batch, ...)` integers. Output shape: `(batch, ..., output_dim)`.
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, input_length=None,
                 quantization_config=None, **kwargs):
        if input_length is not None and "input_shape" not in kwargs:
            lengths = input_length if isinstance(input_length, (list, tuple)) else (input_length,)
            kwargs["input_shape"] = tuple(lengths)
        super().__init__(weights=weights, **kwargs)
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
                raise ValueError(
                    f"Embedding({arg}=...) must be a positive int. Received: {arg}={value!r}")
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self.quantization_config = quantization.config_from_argument(quantization_config)

    def build(self, input_shape=None):
        if self.quantization_mode:
            quantization.build(self, (self.input_dim, self.output_dim), self.quantization_mode,
                               self.quantization_config)
        else:
            self._embeddings = self.add_weight(
                shape=(self.input_dim, self.output_dim), name="embeddings",
                initializer=self.embeddings_initializer,
                regularizer=self.embeddings_regularizer, constraint=self.embeddings_constraint)
        if self.lora_rank:
            self.built = True  # enable_lora requires a built layer
            self.enable_lora(self.lora_rank, self.lora_alpha)

    @property
    def embeddings(self):
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
        """Freezes `embeddings` and learns a low-rank update `(alpha / rank) * A @ B` instead."""
        lora.enable_lora(self, rank, lora_alpha, a_initializer, b_initializer)

    def call(self, inputs):
        if "int" not in str(inputs.dtype):
            inputs = ops.cast(inputs, "int32")
        return ops.take(self.embeddings, inputs, axis=0)

    def compute_mask(self, inputs, previous_mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
                "quantization_config": quantization.serialize_config(self),
                **lora.config_entries(self)}
