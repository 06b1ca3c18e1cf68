"""`keras.models.experimental` (tf-keras): `SharpnessAwareMinimization`."""

from neokeras.models.sharpness_aware_minimization import SharpnessAwareMinimization  # noqa: F401
