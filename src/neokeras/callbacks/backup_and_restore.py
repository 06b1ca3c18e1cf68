"""`BackupAndRestore`: resumes an interrupted `fit` where it stopped."""

import os

import numpy as np

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback
from neokeras.saving import sharded

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
        variables = self._variables()
        values, epoch, seed = read_backup(self._path, variables, self.backup_dir)
        for variable, value in zip(variables, values):
            sharded.assign(variable, value)
        self.model._resume_epoch = epoch
        self.model._shuffle_seed = seed

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
        # Under a multi-process distribution every process gathers and process 0 writes.
        variables = self._variables()
        with sharded.gathered(variables) as writer:
            if writer:
                self._write(variables, next_epoch)

    def _write(self, variables, next_epoch):
        os.makedirs(self.backup_dir, exist_ok=True)
        arrays = {f"v{i}": sharded.host_value(v) for i, v in enumerate(variables)}
        arrays["num_variables"] = np.asarray(len(arrays))
        arrays["epoch"] = np.asarray(next_epoch)
        arrays["shuffle_seed"] = np.asarray(self.model._shuffle_seed)
        # Written under another name and renamed, so a crash mid-write keeps the old backup.
        temporary = self._path + ".tmp.npz"
        np.savez(temporary, **arrays)
        os.replace(temporary, self._path)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and sharded.is_writer() and os.path.exists(self._path):
            os.remove(self._path)


def read_backup(path, variables, where):
    """(values, epoch, shuffle seed) from a backup, checking every array's header (shape,
    dtype, size) against `variables` before reading its data; nothing is unpickled."""
    import zipfile

    from neokeras.saving import limits

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ValueError(f"BackupAndRestore: the backup in {where!r} is not a valid .npz file "
                         f"({error}).") from None
    with archive, limits.loading(f"BackupAndRestore: restoring from {where!r}") as budget:
        count = int(_read_npy(archive, "num_variables", (), "iu", where))
        if count != len(variables):
            raise ValueError(
                f"BackupAndRestore: the backup in {where!r} holds {count} variables but the "
                f"model and optimizer have {len(variables)}; it belongs to a different model.")
        values = []
        for index, variable in enumerate(variables):
            shape = tuple(variable.shape)
            budget.charge(int(np.prod(shape, dtype=np.int64)) * 8, f"backup array 'v{index}'")
            values.append(_read_npy(archive, f"v{index}", shape, "biuf", where,
                                    f"variable {variable.path}"))
        epoch = int(_read_npy(archive, "epoch", (), "iu", where))
        seed = int(_read_npy(archive, "shuffle_seed", (), "iu", where))
    return values, epoch, seed


def _read_npy(archive, key, shape, kinds, where, what=None):
    """One `.npy` member: header first (shape, dtype, byte count), then exactly its data."""
    what = what or f"entry '{key}'"
    name = f"{key}.npy"
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ValueError(f"BackupAndRestore: the backup in {where!r} has no {what}.") from None
    try:
        with archive.open(info) as handle:
            version = np.lib.format.read_magic(handle)
            reader = {(1, 0): np.lib.format.read_array_header_1_0,
                      (2, 0): np.lib.format.read_array_header_2_0}.get(version)
            if reader is None:
                raise ValueError(f"unsupported .npy version {version}")
            saved_shape, fortran, dtype = reader(handle)
            if tuple(saved_shape) != tuple(shape):
                raise ValueError(f"{what} has shape {tuple(saved_shape)} in the backup, but "
                                 f"the model expects shape {tuple(shape)}")
            if dtype.kind not in kinds or dtype.hasobject or dtype.itemsize > 8:
                raise ValueError(f"{what} has dtype {dtype} in the backup")
            nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
            data = handle.read(nbytes + 1)
    except Exception as error:  # header parsing of a corrupt file fails in many ways
        raise ValueError(f"BackupAndRestore: the backup in {where!r} is unusable: {error}.") \
            from None
    if len(data) != nbytes:
        raise ValueError(f"BackupAndRestore: the backup in {where!r} is truncated ({what} "
                         f"holds {len(data)} of {nbytes} bytes).")
    array = np.frombuffer(data, dtype).reshape(shape, order="F" if fortran else "C")
    return array
