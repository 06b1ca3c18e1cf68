"""`neokeras.models`: `Sequential`, `Model`."""

from neokeras.models import experimental  # noqa: F401
from neokeras.models.model import Model  # noqa: F401
from neokeras.models.sequential import Sequential  # noqa: F401
from neokeras.saving.saving_api import (  # noqa: F401,E402
    clone_model, load_model, model_from_config, model_from_json, model_from_yaml, save_model)
