"""`OrbaxCheckpoint`: saves the model's state with Orbax during training."""

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback
from neokeras.callbacks.monitor import Monitor
from neokeras.saving import orbax_checkpoints


@keras_name("keras.callbacks.OrbaxCheckpoint")
class OrbaxCheckpoint(Callback):
    """Saves the model's state to an Orbax checkpoint directory, by default in the background.

    Each save is one step folder `<directory>/<step>` holding the model's `get_state_tree()`
    (weights, optimizer and metric state) and, unless `save_weights_only`, its config and
    assets, in the layout Keras 3 writes. The step is the epoch index, or with an integer
    `save_freq` the number of batches trained so far (counted from the optimizer's
    iterations). `keras.saving.load_model(directory)` rebuilds the latest saved model and
    `model.load_weights(directory)` restores its state. Needs `orbax-checkpoint`.

    Args:
        directory: Folder of the checkpoints.
        monitor: Log name compared when `save_best_only`.
        verbose: Verbosity (accepted as in Keras, which prints nothing either).
        save_best_only: Save only when `monitor` improved.
        mode: `"auto"` (the monitored metric's direction, else its name), `"min"` or `"max"`.
        save_freq: `"epoch"`, or an integer: save every that many batches.
        initial_value_threshold: Starting "best" value for `save_best_only`.
        max_to_keep: How many of the latest checkpoints to keep (`None`: all).
        save_on_background: Write asynchronously while training continues.
        save_weights_only: Save only the trainable and non-trainable variables.

    Example:

    ```python
    checkpoint = keras.callbacks.OrbaxCheckpoint("/tmp/ckpt", monitor="val_loss",
                                                 save_best_only=True)
    model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])
    model = keras.saving.load_model("/tmp/ckpt")
    ```
    """

    def __init__(self, directory, monitor="val_loss", verbose=0, save_best_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None, max_to_keep=1,
                 save_on_background=True, save_weights_only=False):
        super().__init__()
        orbax_checkpoints.ocp()  # fails early, naming the package, when it is missing
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                     or save_freq <= 0):
            raise ValueError(
                f"OrbaxCheckpoint: save_freq must be 'epoch' or a positive int. "
                f"Received: save_freq={save_freq!r}")
        if max_to_keep is not None and (isinstance(max_to_keep, bool)
                                        or not isinstance(max_to_keep, int) or max_to_keep <= 0):
            raise ValueError(
                f"OrbaxCheckpoint: max_to_keep must be a positive int or None. "
                f"Received: max_to_keep={max_to_keep!r}")
        self.directory = directory
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_freq = save_freq
        self.max_to_keep = max_to_keep
        self.save_on_background = save_on_background
        self.save_weights_only = save_weights_only
        self._monitor = Monitor(monitor, mode, 0, "OrbaxCheckpoint")
        if initial_value_threshold is not None:
            self._monitor.best = float(initial_value_threshold)
        self._batches_since_save = 0
        self._last_batch = None
        self._total_batches = 0
        self._pending = []
        self._multihost = orbax_checkpoints.multihost().is_jax_distributed_client_initialized()
        self.checkpointer = self._new_checkpointer()

    def _new_checkpointer(self):
        training = orbax_checkpoints.ocp().training
        preservation = (training.preservation_policies.LatestN(self.max_to_keep)
                        if self.max_to_keep is not None else None)
        # Every step this callback decides to save is saved.
        return training.Checkpointer(
            directory=self.directory, preservation_policy=preservation,
            save_decision_policy=training.save_decision_policies.FixedIntervalPolicy(1))

    @property
    def best(self):
        return self._monitor.best

    def set_model(self, model):
        super().set_model(model)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None:
            self._total_batches = int(optimizer.iterations)  # a resumed run continues its steps

    def is_multihost_enabled(self):
        """Whether this runs in an initialized multi-process JAX job."""
        return self._multihost

    def is_primary_host(self):
        """Whether this process is process 0 (always true in a single process)."""
        if not self._multihost:
            return True
        return orbax_checkpoints.multihost().is_primary_host(primary_host=0)

    def on_train_begin(self, logs=None):
        if self.checkpointer is None:  # closed by a previous `fit`
            self.checkpointer = self._new_checkpointer()

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        # Batch indices restart each epoch and may jump (steps_per_execution).
        seen = batch + 1 if self._last_batch is None or batch <= self._last_batch \
            else batch - self._last_batch
        self._last_batch = batch
        self._batches_since_save += seen
        self._total_batches += seen
        if self._batches_since_save < self.save_freq:
            return
        self._batches_since_save = 0
        if self._improved(logs):
            self._save(self._total_batches)

    def on_epoch_begin(self, epoch, logs=None):
        self._last_batch = None

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch" and self._improved(logs):
            self._save(epoch)

    def on_train_end(self, logs=None):
        if self.checkpointer is not None:
            self.checkpointer.close()  # waits for the saves still being written
            self.checkpointer = None
        self._pending.clear()
        self._sync("orbax_checkpoint_close")

    def wait_until_finished(self):
        """Blocks until every save started so far is written (on every process)."""
        for response in self._pending:
            response.result()
        self._pending.clear()
        if self.checkpointer is not None:
            self.checkpointer.wait()
        self._sync("orbax_checkpoint_wait")

    def overrides(self, *hook_names):
        # Saving per epoch must not force the per-batch (unfused) loop.
        if self.save_freq == "epoch":
            hook_names = [n for n in hook_names if n not in ("on_train_batch_end", "on_batch_end")]
        return super().overrides(*hook_names)

    def _improved(self, logs):
        if not self.save_best_only:
            return True
        self._monitor.resolve(self.model)
        value = self._monitor.value(logs)
        if value is None or not self._monitor.improves(value):
            return False
        self._monitor.best = value
        return True

    def _save(self, step):
        if self.checkpointer is None:
            self.checkpointer = self._new_checkpointer()
        payload = orbax_checkpoints.state_payload(self.model, self.save_weights_only)
        with orbax_checkpoints.ocp().Context():
            if self.save_on_background:
                self._pending.append(self.checkpointer.save_checkpointables_async(step, payload))
            else:
                self.checkpointer.save_checkpointables(step, payload)

    def _sync(self, key):
        if self._multihost:
            orbax_checkpoints.multihost().sync_global_processes(key)
