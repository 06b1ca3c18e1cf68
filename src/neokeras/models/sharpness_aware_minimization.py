"""`SharpnessAwareMinimization`: tf-keras's SAM wrapper model (Foret et al. 2020)."""

from neokeras import backend
from neokeras.api_export import keras_name
from neokeras.models.model import Model


@keras_name("keras.models.experimental.SharpnessAwareMinimization")
class SharpnessAwareMinimization(Model):
    """Trains `model` with sharpness-aware minimization: each step applies the gradient taken
    at the weights moved `rho` (in global gradient norm) up the loss.

    Calling it runs `model`; compile and fit it as any model. With `num_batch_splits`, each
    batch is cut into that many equal sub-batches whose SAM gradients are summed.

    Args:
        model: The model that does the forward pass.
        rho: Size of the ascent step (default 0.05).
        num_batch_splits: Number of sub-batches per batch (None: no splitting).
        name: Optional name.

    Example:

    >>> sam = keras.models.experimental.SharpnessAwareMinimization(model, rho=0.05)
    >>> sam.compile(optimizer="sgd", loss="mse")
    >>> sam.fit(x, y)
    """

    def __init__(self, model, rho=0.05, num_batch_splits=None, name=None):
        super().__init__(name=name)
        if num_batch_splits is not None and (
                isinstance(num_batch_splits, bool) or not isinstance(num_batch_splits, int)
                or num_batch_splits < 1):
            raise ValueError("SharpnessAwareMinimization(num_batch_splits=...) must be a "
                             f"positive integer or None. Received: {num_batch_splits!r}")
        self.model = model
        self.rho = rho
        self.num_batch_splits = num_batch_splits

    def call(self, inputs, **kwargs):
        return self.model(inputs, **kwargs)

    def train_step(self, state, data):
        return backend.impl.sharpness_aware.train_step(self, state, data)

    def get_config(self):
        from neokeras.saving.serialization import serialize_keras_object

        return {"name": self.name, "model": serialize_keras_object(self.model), "rho": self.rho,
                "num_batch_splits": self.num_batch_splits}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from neokeras.saving.serialization import deserialize_keras_object

        config = {k: v for k, v in config.items() if k not in ("trainable", "dtype")}
        config["model"] = deserialize_keras_object(config["model"],
                                                   custom_objects=custom_objects)
        return cls(**config)
