"""`keras.src.layers` (compatibility mirror): re-exports `neokeras.layers`."""

from neokeras import layers as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
