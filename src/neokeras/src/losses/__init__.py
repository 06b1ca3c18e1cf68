"""`keras.src.losses` (compatibility mirror): re-exports `neokeras.losses`."""

from neokeras import losses as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
