"""Pooling layers."""

from neokeras.layers.pooling.average_pooling import (  # noqa: F401
    AveragePooling1D, AveragePooling2D, AveragePooling3D)
from neokeras.layers.pooling.global_pooling import (  # noqa: F401
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D,
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
from neokeras.layers.pooling.max_pooling import (  # noqa: F401
    MaxPooling1D, MaxPooling2D, MaxPooling3D)

# Keras 2 spellings.
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = (
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
from neokeras.layers.pooling.adaptive_pooling import (  # noqa: F401,E402
    AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D, AdaptiveMaxPooling2D, AdaptiveMaxPooling3D)
