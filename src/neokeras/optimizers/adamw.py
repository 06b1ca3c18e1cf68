"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019)."""

from neokeras.api_export import keras_name
from neokeras.optimizers.adam import Adam


@keras_name("keras.optimizers.AdamW")
class AdamW(Adam):
    """Adam whose weights also shrink by `w -= w * weight_decay * lr` before each update.

    Args:
        learning_rate: Float, schedule or callable (default 0.001).
        weight_decay: Decoupled decay rate (default 0.004; required).
        beta_1, beta_2, epsilon, amsgrad: As for `Adam`.
        **kwargs: See `Optimizer`.
    """

    def __init__(self, learning_rate=None, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, name=None, **kwargs):
        if weight_decay is None:
            raise ValueError("AdamW(weight_decay=...) must be a float. Received: None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, name=name,
                         weight_decay=weight_decay, **kwargs)
