"""`keras.callbacks.experimental` (tf-keras): the deprecated endpoint of `BackupAndRestore`."""

import warnings

from neokeras.callbacks.backup_and_restore import BackupAndRestore as _BackupAndRestore


class BackupAndRestore(_BackupAndRestore):
    """Deprecated tf-keras endpoint: `keras.callbacks.BackupAndRestore`, with a warning."""

    def __init__(self, *args, **kwargs):
        warnings.warn("`tf.keras.callbacks.experimental.BackupAndRestore` endpoint is "
                      "deprecated and will be removed in a future release. Please use "
                      "`tf.keras.callbacks.BackupAndRestore`.", DeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)
