"""`keras.metrics.experimental` (tf-keras): `PyMetric`."""

from neokeras.metrics.py_metric import PyMetric  # noqa: F401
