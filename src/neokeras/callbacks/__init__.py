"""`neokeras.callbacks`: hooks into `fit`, `evaluate` and `predict`."""

from neokeras.callbacks.callback import Callback  # noqa: F401
from neokeras.callbacks.callback_list import CallbackList  # noqa: F401
from neokeras.callbacks.history import History  # noqa: F401
from neokeras.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
