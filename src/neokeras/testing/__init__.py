"""Test helpers shared by the test suite (and usable by authors of custom layers)."""

from neokeras.testing.layer_checks import check_layer  # noqa: F401
