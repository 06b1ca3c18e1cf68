"""`keras.src.ops` (compatibility mirror): re-exports `neokeras.ops`."""

from neokeras import ops as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
