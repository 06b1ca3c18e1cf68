"""Layers that combine several tensors into one."""
