"""`neokeras.models`: `Sequential`, `Model`."""

from neokeras.models.model import Model  # noqa: F401
from neokeras.models.sequential import Sequential  # noqa: F401
from neokeras.saving.saving_api import clone_model, load_model, model_from_json, save_model  # noqa: F401,E402
