"""`SwapEMAWeights`: evaluate (and optionally checkpoint) with the optimizer's EMA weights."""

from neokeras import ops
from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback


@keras_name("keras.callbacks.SwapEMAWeights")
class SwapEMAWeights(Callback):
    """Puts the optimizer's moving averages of the weights into the model for evaluation.

    Before each evaluation (the validation of `fit`, `evaluate`, `predict`) the model's
    trainable weights and the optimizer's exponential moving averages of them (Polyak
    averaging) swap places; afterwards they swap back, so training continues from the trained
    weights. The optimizer must be created with `use_ema=True`.

    Args:
        swap_on_epoch: Also swap at the end of every epoch and back at the start of the next,
            so that later callbacks of that epoch (a `ModelCheckpoint` placed after this one)
            see the averages. After the last epoch the model keeps the averages.

    Example:

    >>> model.compile(optimizer=keras.optimizers.SGD(use_ema=True), loss="mse")
    >>> model.fit(x, y, validation_split=0.2, callbacks=[SwapEMAWeights()])
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizers(self):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer
        if hasattr(optimizer, "optimizers"):
            found = [o for o in optimizer.optimizers if getattr(o, "use_ema", False)]
            if not found:
                raise ValueError("SwapEMAWeights needs at least one inner optimizer with "
                                 "`use_ema=True`; none of them has it.")
        else:
            found = [optimizer]
        for o in found:
            if not getattr(o, "use_ema", False) or not hasattr(
                    o, "_model_variables_moving_average"):
                raise ValueError(
                    "SwapEMAWeights needs an optimizer created with `use_ema=True` (and built "
                    f"by training). Received: use_ema={getattr(o, 'use_ema', None)}")
        return found

    def _swap(self):
        for optimizer in self._ema_optimizers():
            for variable, average in zip(optimizer._trainable_variables,
                                         optimizer._model_variables_moving_average):
                trained = ops.convert_to_numpy(variable)
                variable.assign(average)
                average.assign(trained)

    def _keep_averages(self):
        # After the last epoch the model holds the averages; fit ends by copying the averages
        # into the model (`finalize_variable_values`), so the averages must equal them.
        for optimizer in self._ema_optimizers():
            for variable, average in zip(optimizer._trainable_variables,
                                         optimizer._model_variables_moving_average):
                average.assign(variable)

    def _to_averages(self):
        if not self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = True

    def _to_trained(self):
        if self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._to_trained()

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._to_averages()
            if epoch == self.params.get("epochs", 0) - 1:
                self._keep_averages()

    def on_test_begin(self, logs=None):
        self._to_averages()

    def on_test_end(self, logs=None):
        self._to_trained()

    def on_predict_begin(self, logs=None):
        self._to_averages()

    def on_predict_end(self, logs=None):
        self._to_trained()
