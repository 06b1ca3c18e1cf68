"""Compatibility surface for the private `keras.src.*` paths that libraries built on Keras import.

Under the drop-in (`neokeras.install_as_keras()`), `keras.src.X` is `neokeras.src.X`. Each module
here only re-exports neokeras's public objects under the private path a library expects; nothing
is implemented here. Supported paths: `keras.src.saving.saving_lib`, `keras.src.saving`,
`keras.src.ops`, `keras.src.layers`, `keras.src.backend`, `keras.src.utils`, `keras.src.models`,
`keras.src.trainers`, and for keras-hub `keras.src.saving.serialization_lib`,
`keras.src.utils.backend_utils`, `keras.src.losses.losses`, `keras.src.distribution.distribution_lib`,
`keras.src.trainers.data_adapters.data_adapter_utils`. Code written for neokeras should use the public names instead.
"""
