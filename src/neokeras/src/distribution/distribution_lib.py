"""`keras.src.distribution.distribution_lib` (compatibility mirror): re-exports
`neokeras.distribution` (`distribution()`, `distribute_tensor`, the classes)."""

from neokeras import distribution as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)
