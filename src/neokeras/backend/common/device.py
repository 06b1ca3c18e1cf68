"""`keras.device`: a context manager choosing the device new arrays are placed on."""

from neokeras.api_export import keras_name


@keras_name("keras.device")
def device(device_name):
    """Places the arrays created inside the context on `device_name`.

    Args:
        device_name: `"cpu:0"`, `"gpu:1"`, ... or a backend device object.

    Example:

    >>> with keras.device("cpu:0"):
    ...     x = keras.ops.ones((2, 2))
    """
    from neokeras import backend

    return backend.impl.core.device_scope(device_name)
