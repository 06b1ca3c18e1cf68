"""`preprocessing.sequence`: Keras 2 home of `pad_sequences`."""

from neokeras.utils.sequence_utils import pad_sequences  # noqa: F401
