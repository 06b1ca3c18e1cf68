"""`TensorBoard`: writes training logs as TensorBoard event files (via `tensorboardX`)."""

import os

from neokeras.api_export import keras_name
from neokeras.callbacks.callback import Callback


def _summary_writer_class():
    try:
        from tensorboardX import SummaryWriter
    except ImportError:
        raise ImportError(
            "The TensorBoard callback writes event files with the `tensorboardX` package, which "
            "is not installed. Install it with `pip install tensorboardX`.") from None
    return SummaryWriter


@keras_name("keras.callbacks.TensorBoard")
class TensorBoard(Callback):
    """Logs scalars (loss, metrics, learning rate) for TensorBoard.

    Training values go to `log_dir/train`, validation values (`val_*`, written without the
    prefix) to `log_dir/validation`, one point per epoch (tag `epoch_<name>`) and, with
    `update_freq` an int, one every this many batches (tag `batch_<name>`).

    Args:
        log_dir: Folder of the event files.
        histogram_freq: Epochs between weight histograms (0: none).
        write_graph, write_images, write_steps_per_second, profile_batch, embeddings_freq,
            embeddings_metadata: Accepted for compatibility; not written.
        update_freq: `"epoch"`, `"batch"` or an int number of batches.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self._writer_class = _summary_writer_class()
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (isinstance(update_freq, bool)
                                       or not isinstance(update_freq, int) or update_freq <= 0):
            raise ValueError("TensorBoard: update_freq must be 'epoch', 'batch' or a positive "
                             f"int. Received: {update_freq!r}")
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = int(histogram_freq)
        self.update_freq = update_freq
        self._writers = {}
        self._global_batch = 0

    def _writer(self, name):
        if name not in self._writers:
            self._writers[name] = self._writer_class(os.path.join(self.log_dir, name))
        return self._writers[name]

    def overrides(self, *hook_names):
        if self.update_freq == "epoch":
            hook_names = [n for n in hook_names if n not in ("on_train_batch_end", "on_batch_end")]
        return super().overrides(*hook_names)

    def on_train_begin(self, logs=None):
        self._global_batch = 0

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch":
            return
        self._global_batch += 1
        if self._global_batch % self.update_freq == 0:
            writer = self._writer("train")
            for name, value in (logs or {}).items():
                writer.add_scalar(f"batch_{name}", float(value), self._global_batch)

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        if "learning_rate" not in logs and getattr(self.model, "optimizer", None) is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
        for name, value in logs.items():
            split = "validation" if name.startswith("val_") else "train"
            tag = "epoch_" + (name[4:] if split == "validation" else name)
            self._writer(split).add_scalar(tag, float(value), epoch)
        if self.histogram_freq and (epoch + 1) % self.histogram_freq == 0:
            writer = self._writer("train")
            for variable in self.model.weights:
                writer.add_histogram(variable.path, variable.numpy(), epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
