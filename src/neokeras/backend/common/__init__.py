"""Backend-agnostic machinery shared by every backend."""
