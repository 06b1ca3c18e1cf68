"""Layers that transform raw feature values (scaling, normalization)."""
