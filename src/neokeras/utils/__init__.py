"""Utilities users reach for (`to_categorical`, `get_file`, datasets from directories, ...)."""

from neokeras.backend import clear_session, standardize_dtype  # noqa: F401
from neokeras.saving.object_registration import (  # noqa: F401
    CustomObjectScope, custom_object_scope, get_custom_objects, get_registered_name,
    get_registered_object, register_keras_serializable)
from neokeras.saving.serialization import (  # noqa: F401
    deserialize_keras_object, serialize_keras_object)
from neokeras.utils import bounding_boxes  # noqa: F401
from neokeras.utils import legacy  # noqa: F401
from neokeras.utils.audio_dataset_utils import audio_dataset_from_directory  # noqa: F401
from neokeras.utils.config import Config  # noqa: F401
from neokeras.utils.dataset_utils import split_dataset  # noqa: F401
from neokeras.utils.embedding_utils import warmstart_embedding_matrix  # noqa: F401
from neokeras.utils.enqueuers import GeneratorEnqueuer, OrderedEnqueuer  # noqa: F401
from neokeras.utils.enqueuers import SequenceEnqueuer  # noqa: F401
from neokeras.utils.file_utils import get_file  # noqa: F401
from neokeras.utils.graph_utils import get_source_inputs, is_keras_tensor  # noqa: F401
from neokeras.utils.image_dataset_utils import image_dataset_from_directory  # noqa: F401
from neokeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img  # noqa: F401
from neokeras.utils.io_utils import disable_interactive_logging  # noqa: F401
from neokeras.utils.io_utils import enable_interactive_logging  # noqa: F401
from neokeras.utils.io_utils import is_interactive_logging_enabled  # noqa: F401
from neokeras.utils.numerical_utils import normalize, to_categorical, to_ordinal  # noqa: F401
from neokeras.utils.plot_utils import model_to_dot, plot_history, plot_model  # noqa: F401
from neokeras.utils.progbar import Progbar  # noqa: F401
from neokeras.utils.py_dataset import PyDataset, Sequence  # noqa: F401
from neokeras.utils.rng_utils import set_random_seed  # noqa: F401
from neokeras.utils.sequence_utils import pad_sequences  # noqa: F401
from neokeras.utils.steps_per_execution_tuning import StepsPerExecutionTuner  # noqa: F401
from neokeras.utils.text_dataset_utils import text_dataset_from_directory  # noqa: F401
from neokeras.utils.timed_threads import TimedThread  # noqa: F401
from neokeras.utils.timeseries_dataset_utils import timeseries_dataset_from_array  # noqa: F401
from neokeras.utils.xy_packing import pack_x_y_sample_weight  # noqa: F401
from neokeras.utils.xy_packing import unpack_x_y_sample_weight  # noqa: F401


def __getattr__(name):
    # FeatureSpace is built from layers, which import utils: load it on first use.
    if name == "FeatureSpace":
        from neokeras.utils.feature_space import FeatureSpace

        return FeatureSpace
    raise AttributeError(f"module 'neokeras.utils' has no attribute {name!r}")
