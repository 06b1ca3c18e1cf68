"""Attention layers: dot-product `Attention`, `AdditiveAttention`, `MultiHeadAttention`."""
