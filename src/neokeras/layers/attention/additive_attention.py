"""`AdditiveAttention`: Bahdanau-style attention, scores `sum(scale * tanh(query + key))`."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.layers.attention.attention import Attention


@keras_name("keras.layers.AdditiveAttention")
class AdditiveAttention(Attention):
    """Additive attention: `softmax(sum(scale * tanh(query_i + key_j))) @ value`.

    Args:
        use_scale: Learn a `scale` vector of size `dim` (default True).
        dropout: Fraction of the attention weights to drop in training.
        seed: Int seed for dropout.

    Call arguments are those of `Attention`.
    """

    def __init__(self, use_scale=True, dropout=0.0, seed=None, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, seed=seed, **kwargs)

    def build(self, input_shape):
        self._check_inputs(input_shape)
        dim = input_shape[-1][-1] if len(input_shape) > 2 else input_shape[1][-1]
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(dim,), name="scale",
                                         initializer="glorot_uniform")

    def _scores(self, query, key):
        summed = ops.tanh(ops.expand_dims(query, -2) + ops.expand_dims(key, -3))
        if self.scale is not None:
            summed = self.scale * summed
        return ops.sum(summed, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
