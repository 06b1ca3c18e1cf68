"""Convolution layers."""

from neokeras.layers.convolutional.conv import Conv1D, Conv2D, Conv3D  # noqa: F401
from neokeras.layers.convolutional.conv_transpose import (  # noqa: F401
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
from neokeras.layers.convolutional.depthwise_conv import (  # noqa: F401
    DepthwiseConv1D, DepthwiseConv2D)
from neokeras.layers.convolutional.separable_conv import (  # noqa: F401
    SeparableConv1D, SeparableConv2D)
