"""`keras.src.models` (compatibility mirror): re-exports `neokeras.models`."""

from neokeras import models as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
