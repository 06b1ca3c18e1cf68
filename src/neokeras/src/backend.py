"""`keras.src.backend` (compatibility mirror): re-exports `neokeras.backend`."""

from neokeras import backend as _public
from neokeras.src._reexport import reexport

reexport(globals(), _public)

# Layers written outside Keras (keras-hub) read and attach masks through these.
from neokeras.layers.masking.keras_mask import get_keras_mask, set_keras_mask  # noqa: E402,F401
