"""`keras.src.trainers.data_adapters.data_adapter_utils` (compatibility mirror)."""

import numpy as np

from neokeras import config, ops


def class_weight_to_sample_weights(y, class_weight):
    """Per-sample weights from a `{class index: weight}` dict, 1.0 for classes it leaves out.

    `y` holds class indices, or rows of one-hot/probabilities (their argmax is the class).
    """
    labels = np.asarray(ops.convert_to_numpy(y))
    if labels.ndim > 1:
        labels = labels[..., 0] if labels.shape[-1] == 1 else labels.argmax(axis=-1)
    labels = np.round(labels).astype("int64")
    return np.asarray([class_weight.get(int(c), 1.0) for c in labels], dtype=config.floatx())
