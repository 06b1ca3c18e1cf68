"""`keras.src.losses.losses` (compatibility mirror): the loss classes, `LossFunctionWrapper`."""

from neokeras import losses as _public
from neokeras.losses.loss import LossFunctionWrapper  # noqa: F401
from neokeras.src._reexport import reexport

reexport(globals(), _public)
__all__.append("LossFunctionWrapper")
