"""`ProgbarLogger`: prints the Keras-style progress bar of `fit`, `evaluate` and `predict`."""

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback
from neokeras.utils.progbar import Progbar


@keras_name("keras.callbacks.ProgbarLogger")
class ProgbarLogger(Callback):
    """Shows progress per epoch (`verbose=1`: live bar, `2`: one line per epoch)."""

    def __init__(self, count_mode="steps", stateful_metrics=None):
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self._progbar = None
        self._mode = "train"

    def set_params(self, params):
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)

    def _new_bar(self):
        self._progbar = Progbar(self.params.get("steps"), verbose=self.verbose)

    def on_train_begin(self, logs=None):
        self._mode = "train"

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)
        self._new_bar()

    def on_train_batch_end(self, batch, logs=None):
        self._progbar.update(batch + 1, logs, finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        self._progbar.update(self._progbar.seen, logs, finalize=True)
        # `fit` records the seconds the epoch spent tracing and compiling (cache reads included).
        compile_seconds = getattr(self.model, "_epoch_compile_seconds", None)
        if compile_seconds and compile_seconds >= 0.005 and self.verbose:
            print(f"(this epoch included {compile_seconds:.2f}s of compilation)", flush=True)

    def on_test_begin(self, logs=None):
        if self._mode != "train" or self.model is None or not getattr(self.model, "_in_fit", False):
            self._mode = "test"
            self._new_bar()

    def on_test_batch_end(self, batch, logs=None):
        if self._mode == "test":
            self._progbar.update(batch + 1, logs, finalize=False)

    def on_test_end(self, logs=None):
        if self._mode == "test":
            self._progbar.update(self._progbar.seen, logs, finalize=True)

    def on_predict_begin(self, logs=None):
        self._mode = "predict"
        self._new_bar()

    def on_predict_batch_end(self, batch, logs=None):
        self._progbar.update(batch + 1, finalize=False)

    def on_predict_end(self, logs=None):
        self._progbar.update(self._progbar.seen, finalize=True)
