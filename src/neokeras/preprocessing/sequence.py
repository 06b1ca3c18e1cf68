"""`preprocessing.sequence` (Keras 2): padding, sliding-window generators and skipgrams."""

from neokeras.preprocessing.skipgrams import make_sampling_table, skipgrams  # noqa: F401
from neokeras.preprocessing.timeseries_generator import TimeseriesGenerator  # noqa: F401
from neokeras.utils.sequence_utils import pad_sequences  # noqa: F401
