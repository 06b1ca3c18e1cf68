"""Utilities users reach for (`to_categorical`, `get_file`, datasets from directories, ...).

Each utility's module is imported the first time its name is used (see `neokeras/lazy.py`).
"""

from neokeras.lazy import lazy_namespace as _lazy_namespace

__getattr__, __dir__, __all__ = _lazy_namespace(__name__, {
    "neokeras.backend": ["clear_session", "standardize_dtype"],
    "neokeras.saving.object_registration": [
        "CustomObjectScope", "custom_object_scope", "get_custom_objects", "get_registered_name",
        "get_registered_object", "register_keras_serializable",
    ],
    "neokeras.saving.serialization": ["deserialize_keras_object", "serialize_keras_object"],
    ".audio_dataset_utils": ["audio_dataset_from_directory"],
    ".config": ["Config"],
    ".dataset_utils": ["split_dataset"],
    ".embedding_utils": ["warmstart_embedding_matrix"],
    ".enqueuers": ["GeneratorEnqueuer", "OrderedEnqueuer", "SequenceEnqueuer"],
    ".file_utils": ["get_file"],
    ".graph_utils": ["get_source_inputs", "is_keras_tensor"],
    ".image_dataset_utils": ["image_dataset_from_directory"],
    ".image_utils": ["array_to_img", "img_to_array", "load_img", "save_img"],
    ".io_utils": [
        "disable_interactive_logging", "enable_interactive_logging",
        "is_interactive_logging_enabled",
    ],
    ".numerical_utils": ["normalize", "to_categorical", "to_ordinal"],
    ".plot_utils": ["model_to_dot", "plot_history", "plot_model"],
    ".progbar": ["Progbar"],
    ".py_dataset": ["PyDataset", "Sequence"],
    ".rng_utils": ["set_random_seed"],
    ".sequence_utils": ["pad_sequences"],
    ".steps_per_execution_tuning": ["StepsPerExecutionTuner"],
    ".text_dataset_utils": ["text_dataset_from_directory"],
    ".timed_threads": ["TimedThread"],
    ".timeseries_dataset_utils": ["timeseries_dataset_from_array"],
    ".xy_packing": ["pack_x_y_sample_weight", "unpack_x_y_sample_weight"],
    ".feature_space": ["FeatureSpace"],
}, submodules=["bounding_boxes", "legacy"])
