"""`neokeras.preprocessing` (Keras 2 module): `preprocessing.sequence.pad_sequences`."""

from neokeras.preprocessing import sequence  # noqa: F401
