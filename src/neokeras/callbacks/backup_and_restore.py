"""`BackupAndRestore`: resumes an interrupted `fit` where it stopped."""

import os

import numpy as np

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback

_FILE = "training_state.npz"


@keras_name("keras.callbacks.BackupAndRestore")
class BackupAndRestore(Callback):
    """Backs up the training state so a `fit` that crashed can be resumed by calling it again.

    The backup (`backup_dir/training_state.npz`, plain arrays, no pickle) holds every model
    variable (random-generator states included), the optimizer's variables, the epoch reached
    and the shuffling seed, so the resumed run continues exactly like an uninterrupted one. It
    is deleted when training ends normally.

    Args:
        backup_dir: Folder of the backup.
        save_freq: `"epoch"`, or an int: also back up every this many batches (the run then
            resumes at the start of the interrupted epoch).
        delete_checkpoint: Delete the backup when training ends normally.
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("BackupAndRestore: backup_dir is required.")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                     or save_freq <= 0):
            raise ValueError("BackupAndRestore: save_freq must be 'epoch' or a positive int. "
                             f"Received: {save_freq!r}")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self._path = os.path.join(self.backup_dir, _FILE)
        self._batches_seen = 0
        self._epoch = 0

    def _variables(self):
        model = self.model
        # `_state_optimizer_variables` also covers extra optimizers of a custom train_step.
        optimizer_variables = getattr(model, "_state_optimizer_variables", None)
        if optimizer_variables is None:
            optimizer_variables = model.optimizer.variables
        return (list(model.trainable_variables) + list(model.non_trainable_variables)
                + list(optimizer_variables))

    def on_train_begin(self, logs=None):
        if not os.path.exists(self._path):
            return
        with np.load(self._path, allow_pickle=False) as backup:
            variables = self._variables()
            count = int(backup["num_variables"])
            if count != len(variables):
                raise ValueError(
                    f"BackupAndRestore: the backup in {self.backup_dir!r} holds {count} "
                    f"variables but the model and optimizer have {len(variables)}; it belongs "
                    "to a different model.")
            for index, variable in enumerate(variables):
                value = backup[f"v{index}"]
                if tuple(value.shape) != tuple(variable.shape):
                    raise ValueError(
                        f"BackupAndRestore: variable {variable.path} has shape {variable.shape} "
                        f"but the backup holds shape {value.shape}.")
                variable.assign(value)
            self.model._resume_epoch = int(backup["epoch"])
            self.model._shuffle_seed = int(backup["shuffle_seed"])

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches_seen += 1
            if self._batches_seen % self.save_freq == 0:
                # The variables hold the state after this batch; resume at the epoch start is
                # not exact for batch-level backups, as in Keras.
                self._backup(self._epoch)

    def overrides(self, *hook_names):
        if self.save_freq == "epoch":
            hook_names = [n for n in hook_names if n not in ("on_train_batch_end", "on_batch_end")]
        return super().overrides(*hook_names)

    def on_epoch_end(self, epoch, logs=None):
        self._backup(epoch + 1)

    def _backup(self, next_epoch):
        os.makedirs(self.backup_dir, exist_ok=True)
        arrays = {f"v{i}": np.asarray(v.numpy()) for i, v in enumerate(self._variables())}
        arrays["num_variables"] = np.asarray(len(arrays))
        arrays["epoch"] = np.asarray(next_epoch)
        arrays["shuffle_seed"] = np.asarray(self.model._shuffle_seed)
        # Written under another name and renamed, so a crash mid-write keeps the old backup.
        temporary = self._path + ".tmp.npz"
        np.savez(temporary, **arrays)
        os.replace(temporary, self._path)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self._path):
            os.remove(self._path)
