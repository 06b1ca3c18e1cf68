"""Every callback in a real `fit`."""

import csv
import os
import struct

import numpy as np
import pytest

from neokeras import callbacks, layers, optimizers
from neokeras.models import Sequential


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")
    return x, y


def _model(lr=0.05):
    model = Sequential([layers.Dense(1, input_shape=(3,))])
    model.compile(optimizers.SGD(learning_rate=lr), "mse")
    return model


class Recorder(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append(("train_begin",))
        self.kernel_at_begin = self.model.layers[0].kernel.numpy().copy()

    def on_train_end(self, logs=None):
        self.calls.append(("train_end",))

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("epoch_begin", epoch))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, sorted(logs)))

    def on_train_batch_begin(self, batch, logs=None):
        self.calls.append(("batch_begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("batch_end", batch, type(logs["loss"]).__name__))

    def on_test_begin(self, logs=None):
        self.calls.append(("test_begin",))

    def on_test_end(self, logs=None):
        self.calls.append(("test_end",))

    def on_test_batch_end(self, batch, logs=None):
        self.calls.append(("test_batch_end", batch))

    def on_predict_begin(self, logs=None):
        self.calls.append(("predict_begin",))

    def on_predict_batch_end(self, batch, logs=None):
        self.calls.append(("predict_batch_end", batch, logs["outputs"].shape))

    def on_predict_end(self, logs=None):
        self.calls.append(("predict_end",))


def test_custom_callback_sees_every_hook_params_and_model():
    x, y = _data(40)
    model = _model()
    rec = Recorder()
    model.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[rec],
              validation_data=(x[:8], y[:8]))
    assert rec.model is model
    assert rec.params == {"verbose": 0, "epochs": 2, "steps": 3}
    epoch = [("epoch_begin", 0), ("batch_begin", 0), ("batch_end", 0, "float"),
             ("batch_begin", 1), ("batch_end", 1, "float"), ("batch_begin", 2),
             ("batch_end", 2, "float"), ("test_begin",), ("test_batch_end", 0), ("test_end",),
             ("epoch_end", 0, ["loss", "val_loss"])]
    assert rec.calls[0] == ("train_begin",)
    assert rec.calls[1:12] == epoch
    assert rec.calls[-1] == ("train_end",)
    rec.calls.clear()
    model.evaluate(x, y, batch_size=16, verbose=0, callbacks=[rec])
    assert rec.calls == [("test_begin",), ("test_batch_end", 0), ("test_batch_end", 1),
                         ("test_batch_end", 2), ("test_end",)]
    rec.calls.clear()
    model.predict(x, batch_size=32, verbose=0, callbacks=[rec])
    assert rec.calls == [("predict_begin",), ("predict_batch_end", 0, (32, 1)),
                         ("predict_batch_end", 1, (32, 1)), ("predict_end",)]


def test_batch_callback_reads_current_weights_and_its_changes_take_effect():
    x, y = _data(32)
    model = _model()
    seen = []

    class Watch(callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(self.model.layers[0].kernel.numpy().copy())
            if batch == 1:  # zero the weights: the next step must start from zero
                self.model.layers[0].kernel.assign(np.zeros((3, 1), "float32"))
                self.model.layers[0].bias.assign(np.zeros((1,), "float32"))

    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, callbacks=[Watch()])
    assert not np.allclose(seen[0], seen[1])
    # The third step starts from zero weights: one SGD step of mse from zero on batch 2.
    xb, yb = x[16:24], y[16:24]
    grad = -2 * xb.T @ yb / 8
    np.testing.assert_allclose(seen[2], -0.05 * grad, rtol=1e-5, atol=1e-6)


def test_keras2_batch_hook_names_are_called():
    x, y = _data(32)
    seen = []

    class Keras2Style(callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, sorted(logs)))

    _model().fit(x, y, batch_size=16, epochs=1, verbose=0, callbacks=[Keras2Style()])
    assert seen == [("begin", 0), ("end", 0, ["loss"]), ("begin", 1), ("end", 1, ["loss"])]


def test_stop_training_from_a_callback():
    x, y = _data(32)
    model = _model()
    stopper = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: setattr(model, "stop_training", epoch == 1))
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[stopper])
    assert history.epoch == [0, 1]


def test_early_stopping_stops_and_restores_best_weights():
    x, y = _data(32)
    model = _model(lr=0.05)
    weights = {}

    # val_loss is replaced by a scripted sequence: best at epoch 1, then worse.
    scripted = [5.0, 1.0, 2.0, 3.0, 4.0, 0.5]

    class Script(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = scripted[epoch]
            weights[epoch] = self.model.get_weights()

    stopper = callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=6, verbose=0, callbacks=[Script(), stopper])
    assert history.epoch == [0, 1, 2, 3]
    assert stopper.stopped_epoch == 3 and stopper.best_epoch == 1 and stopper.best == 1.0
    for got, want in zip(model.get_weights(), weights[1]):
        np.testing.assert_array_equal(got, want)
    assert not np.array_equal(weights[3][0], weights[1][0])


def test_early_stopping_baseline_mode_min_delta_and_start_from_epoch():
    x, y = _data(16)
    values = iter([0.5, 0.55, 0.56, 0.9, 0.91, 0.92, 0.93])

    class Script(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["acc"] = next(values)

    # mode auto -> max for "acc"; improvements smaller than min_delta do not count.
    stopper = callbacks.EarlyStopping(monitor="acc", min_delta=0.1, patience=1)
    history = _model().fit(x, y, epochs=7, verbose=0, callbacks=[Script(), stopper])
    assert history.epoch == [0, 1]
    # A baseline never beaten: the first epoch already counts against the patience.
    values = iter([0.5] * 5)
    stopper = callbacks.EarlyStopping(monitor="acc", baseline=0.95, patience=3)
    history = _model().fit(x, y, epochs=5, verbose=0, callbacks=[Script(), stopper])
    assert history.epoch == [0, 1, 2]
    values = iter([0.5] * 5)
    stopper = callbacks.EarlyStopping(monitor="acc", patience=3)
    history = _model().fit(x, y, epochs=5, verbose=0, callbacks=[Script(), stopper])
    assert history.epoch == [0, 1, 2, 3]
    values = iter([0.5, 0.4, 0.3, 0.2, 0.1])
    stopper = callbacks.EarlyStopping(monitor="acc", patience=0, start_from_epoch=3)
    history = _model().fit(x, y, epochs=5, verbose=0, callbacks=[Script(), stopper])
    assert history.epoch == [0, 1, 2, 3, 4]
    with pytest.warns(UserWarning, match="mode 'biggest' is unknown, fallback to auto"):
        callbacks.EarlyStopping(mode="biggest")


def test_early_stopping_on_real_val_loss_with_diverging_lr():
    x, y = _data(32)
    model = _model(lr=0.9)  # far too large: val_loss grows every epoch after the first
    stopper = callbacks.EarlyStopping(patience=1, restore_best_weights=True)
    history = model.fit(x, y, epochs=20, verbose=0, callbacks=[stopper],
                        validation_data=(x, y), batch_size=32)
    assert len(history.epoch) < 20
    best = int(np.argmin(history.history["val_loss"]))
    assert model.evaluate(x, y, verbose=0) == pytest.approx(history.history["val_loss"][best],
                                                            rel=1e-5)


def test_model_checkpoint_templates_best_only_and_batch_freq(tmp_path, monkeypatch):
    x, y = _data(32)
    model = _model()
    saved = []
    monkeypatch.setattr(type(model), "save_weights",
                        lambda self, path, **kw: (saved.append(path), open(path, "w").close()),
                        raising=False)
    monkeypatch.setattr(type(model), "save",
                        lambda self, path, **kw: (saved.append(path), open(path, "w").close()),
                        raising=False)
    template = str(tmp_path / "w.{epoch:02d}-{val_loss:.2f}.weights.h5")
    scripted = iter([3.0, 2.0, 2.5, 1.0])

    class Script(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = next(scripted)

    model.fit(x, y, epochs=4, verbose=0, callbacks=[
        Script(), callbacks.ModelCheckpoint(template, save_best_only=True,
                                            save_weights_only=True)])
    names = sorted(os.listdir(tmp_path))
    assert names == ["w.01-3.00.weights.h5", "w.02-2.00.weights.h5", "w.04-1.00.weights.h5"]
    saved.clear()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, callbacks=[
        callbacks.ModelCheckpoint(str(tmp_path / "m-{epoch}-{batch}.keras"), save_freq=3)])
    assert [os.path.basename(p) for p in saved] == ["m-1-3.keras", "m-2-2.keras"]
    with pytest.raises(ValueError, match=r"must end in one of \['.weights.h5', '.h5', '.hdf5'\]"):
        callbacks.ModelCheckpoint("w.ckpt", save_weights_only=True)
    with pytest.raises(ValueError, match=r"must end in one of \['.keras', '.h5', '.hdf5'\]"):
        callbacks.ModelCheckpoint("saved_model_dir")
    with pytest.raises(KeyError, match="val_acc"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[
            callbacks.ModelCheckpoint(str(tmp_path / "{val_acc}.keras"))])


def test_learning_rate_scheduler_sets_rate_each_epoch():
    x, y = _data(16)
    model = _model(lr=0.1)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[
        callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)])
    np.testing.assert_allclose(history.history["learning_rate"], [0.05, 0.025, 0.0125])
    # A rate of zero (schedule of the epoch only) freezes the weights: it took effect.
    before = model.get_weights()
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[callbacks.LearningRateScheduler(lambda epoch: 0.0)])
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_reduce_lr_on_plateau():
    x, y = _data(16)
    model = _model(lr=1.0)
    values = iter([1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5])

    class Script(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["val_loss"] = next(values)

    history = model.fit(x * 0, y * 0, epochs=7, verbose=0, callbacks=[
        Script(), callbacks.ReduceLROnPlateau(factor=0.5, patience=2, cooldown=2, min_lr=0.3)])
    np.testing.assert_allclose(history.history["learning_rate"],
                               [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.5)
    # Without the cooldown the second plateau reduces again, down to min_lr.
    values = iter([1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5])
    model = _model(lr=1.0)
    history = model.fit(x * 0, y * 0, epochs=7, verbose=0, callbacks=[
        Script(), callbacks.ReduceLROnPlateau(factor=0.5, patience=2, min_lr=0.3)])
    np.testing.assert_allclose(history.history["learning_rate"],
                               [1.0, 1.0, 1.0, 0.5, 0.5, 0.3, 0.3], rtol=1e-6)
    with pytest.raises(ValueError, match="factor must be < 1"):
        callbacks.ReduceLROnPlateau(factor=2)


def test_csv_logger_writes_and_appends(tmp_path):
    x, y = _data(16)
    path = tmp_path / "log.csv"
    model = _model()
    history = model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y),
                        callbacks=[callbacks.CSVLogger(path)])
    model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y),
              callbacks=[callbacks.CSVLogger(path, append=True)])
    with open(path) as handle:
        rows = list(csv.DictReader(handle))
    assert [r["epoch"] for r in rows] == ["0", "1", "0"]
    assert list(rows[0]) == ["epoch", "loss", "val_loss"]
    assert float(rows[1]["loss"]) == pytest.approx(history.history["loss"][1])


def test_terminate_on_nan(capsys):
    x, y = _data(32)
    y[20] = np.inf
    model = _model()
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0,
                        callbacks=[callbacks.TerminateOnNaN()])
    assert history.epoch == [0]
    assert "Batch 2: invalid loss" in capsys.readouterr().out


def test_lambda_callback_and_unknown_hook():
    x, y = _data(16)
    events = []
    cb = callbacks.LambdaCallback(on_train_begin=lambda logs: events.append("begin"),
                                  on_batch_end=lambda batch, logs: events.append(batch),
                                  on_epoch_end=lambda epoch, logs: events.append(("e", epoch)))
    _model().fit(x, y, batch_size=8, epochs=2, verbose=0, callbacks=[cb])
    assert events == ["begin", 0, 1, ("e", 0), 0, 1, ("e", 1)]
    with pytest.raises(TypeError, match="unknown hooks"):
        callbacks.LambdaCallback(on_epoch_finish=print)


def test_callbacks_must_be_callback_instances():
    x, y = _data(8)
    with pytest.raises(TypeError, match="Callback instances"):
        _model().fit(x, y, verbose=0, callbacks=[print])


class Crash(callbacks.Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise RuntimeError("simulated crash")


def _dropout_model():
    model = Sequential([layers.Dense(8, activation="relu", input_shape=(3,)),
                        layers.Dropout(0.3), layers.Dense(1)])
    model.compile(optimizers.Adam(learning_rate=0.01), "mse")
    return model


def test_backup_and_restore_resumes_identically(tmp_path):
    from neokeras import utils
    x, y = _data(40)
    utils.set_random_seed(7)
    reference = _dropout_model()
    ref_history = reference.fit(x, y, batch_size=8, epochs=4, verbose=0,
                                callbacks=[callbacks.BackupAndRestore(tmp_path / "a")])
    assert not os.path.exists(tmp_path / "a" / "training_state.npz")  # deleted at the end

    utils.set_random_seed(7)
    model = _dropout_model()
    backup = callbacks.BackupAndRestore(tmp_path / "b")
    with pytest.raises(RuntimeError, match="simulated crash"):
        model.fit(x, y, batch_size=8, epochs=4, verbose=0, callbacks=[backup, Crash(2)])
    assert os.path.exists(tmp_path / "b" / "training_state.npz")
    # Spoil the weights and the random state: the backup must restore them.
    utils.set_random_seed(99)
    model.set_weights([w * 0 + 1 for w in model.get_weights()])
    history = model.fit(x, y, batch_size=8, epochs=4, verbose=0, callbacks=[backup])
    assert history.epoch == [2, 3]
    np.testing.assert_array_equal(history.history["loss"], ref_history.history["loss"][2:])
    for got, want in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(got, want)


def test_backup_from_another_model_is_refused(tmp_path):
    x, y = _data(16)
    backup = callbacks.BackupAndRestore(tmp_path, delete_checkpoint=False)
    _model().fit(x, y, epochs=1, verbose=0, callbacks=[backup])
    with pytest.raises(ValueError, match="different model"):
        _dropout_model().fit(x, y, epochs=1, verbose=0, callbacks=[backup])


def _read_scalars(directory):
    """Parses TensorBoard event files (TFRecord framing of `Event` protos)."""
    from tensorboardX.proto import event_pb2

    scalars = {}
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), "rb") as handle:
            data = handle.read()
        offset = 0
        while offset < len(data):
            (length,) = struct.unpack("<Q", data[offset:offset + 8])
            event = event_pb2.Event.FromString(data[offset + 12:offset + 12 + length])
            offset += 12 + length + 4
            for value in event.summary.value:
                scalars.setdefault(value.tag, []).append((event.step, value.simple_value))
    return scalars


def test_tensorboard_writes_readable_scalars(tmp_path):
    pytest.importorskip("tensorboardX")
    x, y = _data(32)
    model = _model()
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0, validation_data=(x, y),
                        callbacks=[callbacks.TensorBoard(tmp_path, update_freq=2)])
    train = _read_scalars(tmp_path / "train")
    val = _read_scalars(tmp_path / "validation")
    assert [s for s, _ in train["epoch_loss"]] == [0, 1, 2]
    np.testing.assert_allclose([v for _, v in train["epoch_loss"]], history.history["loss"],
                               rtol=1e-6)
    np.testing.assert_allclose([v for _, v in val["epoch_loss"]], history.history["val_loss"],
                               rtol=1e-6)
    assert [v for _, v in train["epoch_learning_rate"]] == pytest.approx([0.05] * 3)
    assert [s for s, _ in train["batch_loss"]] == [2, 4, 6, 8, 10, 12]


def test_tensorboard_without_tensorboardx_names_the_package(monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    with pytest.raises(ImportError, match="pip install tensorboardX"):
        callbacks.TensorBoard("logs")


def test_model_checkpoint_with_real_saving(tmp_path):
    from neokeras import saving
    x, y = _data(32)
    model = _model()
    weights = {}
    record = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: weights.__setitem__(epoch, model.get_weights()))
    model.fit(x, y, epochs=2, verbose=0, callbacks=[
        record, callbacks.ModelCheckpoint(str(tmp_path / "w.{epoch:02d}.weights.h5"),
                                          save_weights_only=True),
        callbacks.ModelCheckpoint(str(tmp_path / "best.keras"), monitor="loss",
                                  save_best_only=True)])
    assert sorted(os.listdir(tmp_path)) == ["best.keras", "w.01.weights.h5", "w.02.weights.h5"]
    fresh = _model()
    fresh.load_weights(str(tmp_path / "w.01.weights.h5"))
    for got, want in zip(fresh.get_weights(), weights[0]):
        np.testing.assert_array_equal(got, want)
    loaded = saving.load_model(str(tmp_path / "best.keras"))
    for got, want in zip(loaded.get_weights(), weights[1]):
        np.testing.assert_array_equal(got, want)
