"""`neokeras.models`: `Sequential`, `Model`."""

from neokeras.models.model import Model  # noqa: F401
from neokeras.models.sequential import Sequential  # noqa: F401
