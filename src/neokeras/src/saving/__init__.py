"""`keras.src.saving` (compatibility mirror): re-exports `neokeras.saving`."""

from neokeras import saving as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
