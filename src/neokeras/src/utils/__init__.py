"""`keras.src.utils` (compatibility mirror): re-exports `neokeras.utils`."""

from neokeras import utils as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
