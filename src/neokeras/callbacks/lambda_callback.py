"""`LambdaCallback`: a callback made of plain functions."""

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback

_HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
          "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
          "on_test_batch_begin", "on_test_batch_end", "on_predict_begin", "on_predict_end",
          "on_predict_batch_begin", "on_predict_batch_end")
# Keras 2 names.
_ALIASES = {"on_batch_begin": "on_train_batch_begin", "on_batch_end": "on_train_batch_end"}


@keras_name("keras.callbacks.LambdaCallback")
class LambdaCallback(Callback):
    """Calls the given functions at the matching hooks.

    Args:
        on_epoch_begin, on_epoch_end: `fn(epoch, logs)`.
        on_train_batch_begin, on_train_batch_end (Keras 2: `on_batch_begin`, `on_batch_end`):
            `fn(batch, logs)`.
        on_train_begin, on_train_end: `fn(logs)`; likewise the test and predict hooks.
    """

    def __init__(self, **hooks):
        super().__init__()
        for name in list(hooks):
            if name in _ALIASES:
                hooks[_ALIASES[name]] = hooks.pop(name)
        unknown = set(hooks) - set(_HOOKS)
        if unknown:
            raise TypeError(f"LambdaCallback got unknown hooks {sorted(unknown)}; "
                            f"expected some of {list(_HOOKS) + list(_ALIASES)}.")
        self._hooks = {name: fn for name, fn in hooks.items() if fn is not None}
        for name, fn in self._hooks.items():
            setattr(self, name, fn)

    def overrides(self, *hook_names):
        names = {_ALIASES.get(name, name) for name in hook_names}
        return any(name in self._hooks for name in names)
