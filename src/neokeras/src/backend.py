"""`keras.src.backend` (compatibility mirror): re-exports `neokeras.backend`."""

from neokeras import backend as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
