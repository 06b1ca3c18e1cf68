"""`CallbackList`: fans every hook out to a list of callbacks."""

from neokeras.callbacks.callback import Callback
from neokeras.callbacks.history import History
from neokeras.callbacks.progbar_logger import ProgbarLogger

_BATCH_HOOKS = {
    "train": ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


class CallbackList:
    """Holds the callbacks of one `fit`/`evaluate`/`predict` call.

    Args:
        callbacks: User callbacks.
        add_history: Append a `History` (fit).
        add_progbar: Append a `ProgbarLogger` (when verbose).
        model: The model, given to every callback.
        **params: `verbose`, `epochs`, `steps`, given to every callback.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"callbacks must be Callback instances. Received: {type(callback).__name__}")
        self.history = None
        if add_history:
            self.history = next((c for c in self.callbacks if isinstance(c, History)), None)
            if self.history is None:
                self.history = History()
                self.callbacks.append(self.history)
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        self.model = model
        self.params = params
        for callback in self.callbacks:
            callback.set_model(model)
            callback.set_params(params)

    def set_params(self, **params):
        self.params.update(params)
        for callback in self.callbacks:
            callback.set_params(self.params)

    @property
    def user_callbacks(self):
        return [c for c in self.callbacks if not isinstance(c, (History, ProgbarLogger))]

    def needs_batch_hooks(self, mode):
        """True if a callback other than the built-in ones acts on individual batches."""
        return any(c.overrides(*_BATCH_HOOKS[mode]) for c in self.user_callbacks)

    def needs_state(self):
        """True if a callback might read or change the model's weights."""
        return bool(self.user_callbacks)

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs)
