"""`TerminateOnNaN`: stops training when the loss becomes NaN or infinite."""

import math

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback


@keras_name("keras.callbacks.TerminateOnNaN")
class TerminateOnNaN(Callback):
    """Sets `model.stop_training` at the first batch whose loss is NaN or infinite."""

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: invalid loss, terminating training")
            self.model.stop_training = True
