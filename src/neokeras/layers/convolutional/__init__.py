"""Convolution layers."""

from neokeras.layers.convolutional.conv import Conv1D, Conv2D, Conv3D  # noqa: F401
from neokeras.layers.convolutional.conv_transpose import (  # noqa: F401
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
from neokeras.layers.convolutional.depthwise_conv import (  # noqa: F401
    DepthwiseConv1D, DepthwiseConv2D)
from neokeras.layers.convolutional.separable_conv import (  # noqa: F401
    SeparableConv1D, SeparableConv2D)

from neokeras.api_export import keras_name  # noqa: E402

# Keras 2 spellings (the same classes, as in Keras); configs may name them too.
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = (
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
for _alias, _cls in (("Convolution1D", Conv1D), ("Convolution2D", Conv2D),
                     ("Convolution3D", Conv3D), ("Convolution1DTranspose", Conv1DTranspose),
                     ("Convolution2DTranspose", Conv2DTranspose),
                     ("Convolution3DTranspose", Conv3DTranspose),
                     ("SeparableConvolution1D", SeparableConv1D),
                     ("SeparableConvolution2D", SeparableConv2D)):
    keras_name(f"keras.layers.{_alias}")(_cls)
