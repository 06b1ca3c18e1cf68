"""`ReversibleEmbedding`: an embedding that can also project vectors back to vocabulary logits."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.core.embedding import Embedding


@keras_name("keras.layers.ReversibleEmbedding")
class ReversibleEmbedding(Embedding):
    """An `Embedding` whose `call(x, reverse=True)` maps hidden vectors to logits.

    The reverse projection uses the transposed embedding matrix (`tie_weights=True`, as in
    most language models) or a separate `reverse_embeddings` weight of shape
    `(output_dim, input_dim)`.

    Args:
        input_dim, output_dim, embeddings_initializer, embeddings_regularizer,
            embeddings_constraint, mask_zero: As for `Embedding`.
        tie_weights: Whether the reverse projection reuses the embedding matrix.
        reverse_dtype: Dtype the reverse projection computes in (e.g. `"float32"` for
            stable logits in a half-precision model); default the layer's.
        logit_soft_cap: If set, logits become `tanh(logits / cap) * cap`.

    Call arguments:
        inputs: Integer ids (forward) or vectors `(..., output_dim)` (reverse).
        reverse: Whether to project vectors to logits `(..., input_dim)`.
    """

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 reverse_dtype=None, logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer,
                         embeddings_constraint=embeddings_constraint, mask_zero=mask_zero,
                         **kwargs)
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = None if logit_soft_cap is None else float(logit_soft_cap)

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                shape=(self.output_dim, self.input_dim), name="reverse_embeddings",
                initializer=self.embeddings_initializer)

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            inputs = ops.cast(inputs, self.reverse_dtype)
            kernel = ops.cast(kernel, self.reverse_dtype)
        logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            logits = ops.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs, previous_mask=None):
        # Reverse calls take vectors: only integer ids carry a padding mask.
        if "int" not in str(inputs.dtype):
            return None
        return super().compute_mask(inputs, previous_mask)

    def get_config(self):
        return {**super().get_config(), "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype, "logit_soft_cap": self.logit_soft_cap}
