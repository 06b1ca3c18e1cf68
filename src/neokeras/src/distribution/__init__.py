"""`keras.src.distribution` (compatibility mirror): re-exports `neokeras.distribution`."""

from neokeras import distribution as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
