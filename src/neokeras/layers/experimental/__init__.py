"""`layers.experimental`: the Keras 2 home of layers that later became stable."""

from neokeras.layers.core.einsum_dense import EinsumDense  # noqa: F401
