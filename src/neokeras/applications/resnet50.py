"""`keras.applications.resnet50`: ResNet50 and its preprocessing (same as `resnet`)."""

from neokeras.applications.resnet import ResNet50  # noqa: F401
from neokeras.applications.resnet import decode_predictions  # noqa: F401
from neokeras.applications.resnet import preprocess_input  # noqa: F401
