"""Convolution and pooling primitives on `jax.Array` (the backend side of `ops.conv`, ...)."""

__all__ = []
