"""Data adapters: turn what users pass to `fit`/`evaluate`/`predict` into batches."""

from neokeras.trainers.data_adapters.array_data_adapter import ArrayDataAdapter  # noqa: F401
from neokeras.trainers.data_adapters.array_data_adapter import is_array_data  # noqa: F401
from neokeras.trainers.data_adapters.batch_data_adapter import BatchDataAdapter  # noqa: F401
from neokeras.trainers.data_adapters.batch_data_adapter import is_batch_data  # noqa: F401
