"""`layers.experimental` (tf-keras): layers that lived here in Keras 2."""

from neokeras.layers.core.einsum_dense import EinsumDense  # noqa: F401
from neokeras.layers.experimental import preprocessing  # noqa: F401
from neokeras.layers.experimental.random_fourier_features import (  # noqa: F401
    RandomFourierFeatures)
from neokeras.layers.experimental.sync_batch_normalization import (  # noqa: F401
    SyncBatchNormalization)
