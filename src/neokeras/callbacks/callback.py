"""`Callback`: hooks called by `fit`, `evaluate` and `predict`."""

from neokeras.api_export import keras_name


@keras_name("keras.callbacks.Callback")
class Callback:
    """Base class of callbacks. Override any hook; `self.model` and `self.params` are set.

    Hooks: `on_train_begin/end`, `on_epoch_begin/end`, `on_train_batch_begin/end`,
    `on_test_begin/end`, `on_test_batch_begin/end`, `on_predict_begin/end`,
    `on_predict_batch_begin/end`. `logs` is a dict of floats.
    """

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs)  # so Keras 2 callbacks that override it still run

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs)

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    # Keras 2 names of the training batch hooks (called by the default ones above).
    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    def overrides(self, *hook_names):
        """True if this callback's class overrides any of the given hooks."""
        return any(getattr(type(self), name) is not getattr(Callback, name) for name in hook_names)
