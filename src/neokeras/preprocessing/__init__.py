"""`neokeras.preprocessing`: Keras 2's data preprocessing (`image`, `sequence`) and the Keras 3
dataset builders it re-exports."""

from neokeras.preprocessing import image  # noqa: F401
from neokeras.preprocessing import sequence  # noqa: F401
from neokeras.preprocessing import text  # noqa: F401
from neokeras.utils.image_dataset_utils import image_dataset_from_directory  # noqa: F401
from neokeras.utils.text_dataset_utils import text_dataset_from_directory  # noqa: F401
from neokeras.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: F401
