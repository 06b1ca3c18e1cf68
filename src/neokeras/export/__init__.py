"""`neokeras.export`: TensorFlow SavedModel artifacts for inference (`ExportArchive`)."""

from neokeras.export.saved_model import ExportArchive  # noqa: F401
