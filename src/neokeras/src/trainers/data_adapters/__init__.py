"""`keras.src.trainers.data_adapters` (compatibility mirror): `data_adapter_utils` only."""
