"""`SyncBatchNormalization` (tf-keras `layers.experimental`): batch normalization with
statistics over the global batch across devices."""

from neokeras.api_export import keras_name
from neokeras.layers.normalization.batch_normalization import BatchNormalization


@keras_name("keras.layers.experimental.SyncBatchNormalization")
class SyncBatchNormalization(BatchNormalization):
    """`BatchNormalization(synchronized=True)`: in a data-parallel compiled step the batch
    statistics are those of the whole (global) batch, which is what neokeras computes for
    every `BatchNormalization`.

    Args: as `BatchNormalization`.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, **kwargs):
        kwargs["synchronized"] = True
        super().__init__(axis=axis, momentum=momentum, epsilon=epsilon, center=center,
                         scale=scale, **kwargs)
