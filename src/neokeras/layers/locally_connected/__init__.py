"""Locally-connected layers (Keras 2): convolutions whose weights are not shared."""

from neokeras.layers.locally_connected.locally_connected import (  # noqa: F401
    LocallyConnected1D, LocallyConnected2D)
